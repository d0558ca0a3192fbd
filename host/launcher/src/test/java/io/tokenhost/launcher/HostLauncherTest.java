package io.tokenhost.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Hashtable;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceFactory;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.launch.Framework;
import org.osgi.service.log.LogService;
import org.osgi.service.log.LoggerFactory;

class HostLauncherTest {

    @TempDir
    Path dir;

    private HostLauncher launcher;

    @AfterEach
    void stop() throws Exception {
        if (launcher != null) {
            launcher.stop(Duration.ofSeconds(5));
        }
    }

    private Framework start() throws Exception {
        Home home = new Home(dir);
        TestBundles.write(home.bundleDir().resolve("a.jar"), "a", "1.0.0");
        launcher = new HostLauncher(home, FrameworkProperties.of(home, Mode.HEADLESS));
        return launcher.start();
    }

    @Test
    void startsTheFrameworkWithCoreBundlesActiveAndHomeProperties() throws Exception {
        Framework framework = start();

        assertThat(framework.getState()).isEqualTo(Bundle.ACTIVE);
        BundleContext system = framework.getBundleContext();
        assertThat(system.getBundle("tokenhost:bundle/a.jar").getState()).isEqualTo(Bundle.ACTIVE);
        assertThat(system.getProperty("tokenhost.home")).isEqualTo(dir.toAbsolutePath().toString());
        assertThat(system.getProperty("tokenhost.console.socket"))
                .isEqualTo(new Home(dir).consoleSocket().toString());
        assertThat(dir.resolve("data/felix-cache")).isDirectory();
    }

    @Test
    void offersTheSlf4jBackedLogServiceAndLoggerFactory() throws Exception {
        BundleContext a = start().getBundleContext().getBundle("tokenhost:bundle/a.jar").getBundleContext();

        LogService log = a.getService(a.getServiceReference(LogService.class));
        LoggerFactory factory = a.getService(a.getServiceReference(LoggerFactory.class));

        assertThat(log).isNotNull();
        assertThat(factory.getLogger("x.y").getName()).isEqualTo("x.y");
    }

    @Test
    void hidesGogoTelnetFromOtherBundles() throws Exception {
        Framework framework = start();
        BundleContext system = framework.getBundleContext();
        system.registerService(TelnetCommandHider.TELNET_CLASS, new ServiceFactory<Object>() {
            @Override
            public Object getService(Bundle bundle, ServiceRegistration<Object> registration) {
                return new Object();
            }

            @Override
            public void ungetService(Bundle bundle, ServiceRegistration<Object> registration, Object service) {
            }
        }, new Hashtable<>());
        system.registerService(Runnable.class, () -> { }, new Hashtable<>());

        BundleContext other = system.getBundle("tokenhost:bundle/a.jar").getBundleContext();
        assertThat(other.getServiceReferences(TelnetCommandHider.TELNET_CLASS, null)).isNull();
        assertThat(other.getServiceReferences(Runnable.class.getName(), null)).isNotNull();
    }

    @Test
    void stopIsIdempotent() throws Exception {
        Framework framework = start();

        launcher.stop(Duration.ofSeconds(5));
        launcher.stop(Duration.ofSeconds(5));

        assertThat(framework.getState()).isEqualTo(Bundle.RESOLVED);
    }
}
