package io.tokenhost.host.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Missing packages of an unresolved bundle, grouped by prefix. */
class MissingPackagesTest {

    @Test
    void manyPackagesOfOnePrefixAreOneEntryWithACount() {
        List<String> filters = new ArrayList<>();
        for (String name : List.of("kotlin", "kotlin.collections", "kotlin.jvm.internal", "kotlin.text")) {
            filters.add("(&(osgi.wiring.package=" + name + ")(version>=1.9.0))");
        }
        filters.add("(osgi.wiring.package=org.example.missing)");
        filters.add("(osgi.wiring.package=org.bouncycastle.jce)");
        filters.add("(osgi.wiring.package=org.bouncycastle.asn1)");
        filters.add("(osgi.wiring.package=com.android.org.conscrypt)");

        assertThat(MissingPackages.group(filters)).containsExactly(
                "(osgi.wiring.package=com.android.org.conscrypt)",
                "kotlin.* (4)",
                "org.bouncycastle.* (2)",
                "(osgi.wiring.package=org.example.missing)");
    }

    @Test
    void prefixIsTheFirstNameOrTheFirstTwoOfAReverseDomain() {
        assertThat(MissingPackages.prefix("kotlin.jvm.internal")).isEqualTo("kotlin");
        assertThat(MissingPackages.prefix("kotlin")).isEqualTo("kotlin");
        assertThat(MissingPackages.prefix("android.os")).isEqualTo("android");
        assertThat(MissingPackages.prefix("org.openjsse.javax.net.ssl")).isEqualTo("org.openjsse");
        assertThat(MissingPackages.prefix("javax.annotation.meta")).isEqualTo("javax.annotation");
        assertThat(MissingPackages.packageOf("(&(osgi.wiring.package=okio)(version>=3.0.0)(!(version>=4.0.0)))"))
                .isEqualTo("okio");
    }
}
