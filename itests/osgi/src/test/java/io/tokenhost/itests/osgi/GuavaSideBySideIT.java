package io.tokenhost.itests.osgi;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.fail;

import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/** Two plugins embedding different Guava versions work side by side in one framework. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class GuavaSideBySideIT {

    private static final String GUAVA32 = "guava=" + TokenhostOptions.version("guava32");
    private static final String GUAVA33 = "guava=" + TokenhostOptions.version("guava33");

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() {
        return TokenhostOptions.withHost();
    }

    /** Checks the fixtures themselves, calling their provider services directly. */
    @Test
    public void eachBundleLoadsItsOwnEmbeddedGuava() throws Exception {
        Bundle guava32 = Fixtures.installAndStart(context, "guava32");
        Bundle guava33 = Fixtures.installAndStart(context, "guava33");

        assertEquals(GUAVA32, text(Providers.await(context, "guava32").obtainDelegationTokens().tokens()));
        assertEquals(GUAVA33, text(Providers.await(context, "guava33").obtainDelegationTokens().tokens()));

        String immutableList = "com.google.common.collect.ImmutableList";
        assertNotSame("each bundle defines its own Guava classes",
                guava32.loadClass(immutableList), guava33.loadClass(immutableList));
        assertNull("embedded Guava must not be exported", guava32.getHeaders().get("Export-Package"));
        assertNull("embedded Guava must not be exported", guava33.getHeaders().get("Export-Package"));
        for (Bundle b : new Bundle[] {guava32, guava33}) {
            String imports = b.getHeaders().get("Import-Package");
            assertFalse("Guava must come from inside the bundle: " + imports, imports.contains("com.google"));
        }
        try {
            context.getBundle().loadClass(immutableList);
            fail("Guava leaked out of the fixture bundles");
        } catch (ClassNotFoundException expected) {
            // the probe sees no Guava: nobody exports it
        }
    }

    @Test
    public void hostDeliversTokensFromBothGuavaVersions() throws Exception {
        CapturingReceiver receiver32 = CapturingReceiver.register(context, "guava32");
        CapturingReceiver receiver33 = CapturingReceiver.register(context, "guava33");

        Fixtures.installAndStart(context, "guava32");
        Fixtures.installAndStart(context, "guava33");

        assertEquals(GUAVA32, text(receiver32.awaitTokens()));
        assertEquals(GUAVA33, text(receiver33.awaitTokens()));
    }

    private static String text(byte[] tokens) {
        return new String(tokens, UTF_8);
    }
}
