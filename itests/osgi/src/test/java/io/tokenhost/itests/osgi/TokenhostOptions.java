package io.tokenhost.itests.osgi;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemPackages;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.workingDirectory;

import org.ops4j.pax.exam.Option;

/**
 * The framework every test starts: Felix (from the test class path) with SCR, Config Admin,
 * Metatype, Gogo, the api bundle and the host bundle, and what the test probe itself needs inside
 * Felix (JUnit, AssertJ, the shared test support). Versions and jar paths come from the build (failsafe system
 * properties), so the pom stays the single source of truth.
 */
public final class TokenhostOptions {

    private TokenhostOptions() {
    }

    public static Option[] withHost() {
        return options(
                // pax-exam's bundles and the host log through slf4j: slf4j-api and slf4j-simple sit
                // on the test class path and the system bundle exports the API. No slf4j bundle, so
                // no Service Loader Mediator is needed.
                systemPackages(slf4jPackages()),
                // pax-exam adds pax-logging-api, whose fallback logger prints DEBUG by default.
                systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"),
                mavenBundle("org.osgi", "org.osgi.util.function", version("osgi.function")),
                mavenBundle("org.osgi", "org.osgi.util.promise", version("osgi.promise")),
                mavenBundle("org.osgi", "org.osgi.service.component", version("osgi.component")),
                mavenBundle("org.apache.felix", "org.apache.felix.scr", version("scr")),
                mavenBundle("org.apache.felix", "org.apache.felix.configadmin", version("configadmin")),
                mavenBundle("org.apache.felix", "org.apache.felix.metatype", version("metatype")),
                mavenBundle("org.apache.felix", "org.apache.felix.gogo.runtime", version("gogo.runtime")),
                mavenBundle("org.apache.felix", "org.apache.felix.gogo.command", version("gogo.command")),
                bundle(Fixtures.uri("api")),
                bundle(Fixtures.uri("host")),
                junitBundles(),
                // Inside Felix the probe sees only what bundles export: AssertJ (with Byte Buddy,
                // which it imports) and the test support's Await are installed as bundles.
                bundle(Fixtures.uri("bytebuddy")),
                bundle(Fixtures.uri("assertj")),
                bundle(Fixtures.uri("support")),
                workingDirectory("target/paxexam"),
                cleanCaches(true));
    }

    private static String[] slf4jPackages() {
        String v = version("slf4j");
        return new String[] {"org.slf4j;version=" + v, "org.slf4j.event;version=" + v,
            "org.slf4j.helpers;version=" + v, "org.slf4j.spi;version=" + v};
    }

    static String version(String name) {
        return Fixtures.required("tokenhost.version." + name);
    }
}
