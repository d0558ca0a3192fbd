package io.tokenhost.itests.osgi;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.Test;
import org.osgi.framework.Bundle;

/** Two plugins embedding different Guava versions work side by side in one framework. */
public class GuavaSideBySideIT extends HostTestBase {

    private static final String GUAVA32 = "guava=" + TokenhostOptions.version("guava32");
    private static final String GUAVA33 = "guava=" + TokenhostOptions.version("guava33");

    /** Checks the fixtures themselves, calling their provider services directly. */
    @Test
    public void eachBundleLoadsItsOwnEmbeddedGuava() throws Exception {
        Bundle guava32 = Fixtures.installAndStart(context, "guava32");
        Bundle guava33 = Fixtures.installAndStart(context, "guava33");

        assertThat(text(Providers.await(context, "guava32").obtainDelegationTokens().tokens())).isEqualTo(GUAVA32);
        assertThat(text(Providers.await(context, "guava33").obtainDelegationTokens().tokens())).isEqualTo(GUAVA33);

        String immutableList = "com.google.common.collect.ImmutableList";
        assertThat(guava32.loadClass(immutableList)).as("each bundle defines its own Guava classes")
                .isNotSameAs(guava33.loadClass(immutableList));
        for (Bundle b : new Bundle[] {guava32, guava33}) {
            assertThat(b.getHeaders().get("Export-Package")).as("embedded Guava must not be exported").isNull();
            assertThat(b.getHeaders().get("Import-Package")).as("Guava must come from inside the bundle")
                    .doesNotContain("com.google");
        }
        assertThatThrownBy(() -> context.getBundle().loadClass(immutableList))
                .as("the probe sees no Guava: nobody exports it")
                .isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    public void hostDeliversTokensFromBothGuavaVersions() throws Exception {
        CapturingReceiver receiver32 = CapturingReceiver.register(context, "guava32");
        CapturingReceiver receiver33 = CapturingReceiver.register(context, "guava33");

        Fixtures.installAndStart(context, "guava32");
        Fixtures.installAndStart(context, "guava33");

        assertThat(text(receiver32.awaitTokens())).isEqualTo(GUAVA32);
        assertThat(text(receiver33.awaitTokens())).isEqualTo(GUAVA33);
    }

    private static String text(byte[] tokens) {
        return new String(tokens, UTF_8);
    }
}
