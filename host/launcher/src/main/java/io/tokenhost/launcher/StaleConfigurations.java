package io.tokenhost.launcher;

import java.lang.reflect.Method;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.BundleWiring;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes ConfigAdmin configurations that FileInstall created from a {@code .cfg} file which no
 * longer exists. FileInstall 3.7.4 reconciles plugin bundles at start-up but not configurations:
 * a file deleted while the host was down would otherwise stay configured forever (ConfigAdmin
 * persists it in the framework cache). Reflective, because {@code org.osgi.service.cm} belongs to
 * the ConfigAdmin bundle and must not be on the launcher's classpath. Harmless if it races
 * FileInstall's first scan: it only touches configurations whose file is gone.
 */
final class StaleConfigurations {

    private static final Logger LOG = LoggerFactory.getLogger(StaleConfigurations.class);
    private static final String CM = "org.osgi.service.cm.ConfigurationAdmin";
    private static final String FILENAME = "felix.fileinstall.filename";

    private StaleConfigurations() {
    }

    /** Returns how many configurations were deleted; never throws (a failure is only logged). */
    static int delete(BundleContext system, Path confDir) {
        ServiceReference<?> ref = system.getServiceReference(CM);
        if (ref == null) {
            return 0;
        }
        Object admin = system.getService(ref);
        try {
            ClassLoader loader = ref.getBundle().adapt(BundleWiring.class).getClassLoader();
            Class<?> adminType = loader.loadClass(CM);
            Class<?> configType = loader.loadClass("org.osgi.service.cm.Configuration");
            Object[] configs = (Object[]) adminType.getMethod("listConfigurations", String.class)
                    .invoke(admin, "(" + FILENAME + "=*)");
            if (configs == null) {
                return 0;
            }
            Method properties = configType.getMethod("getProperties");
            Method delete = configType.getMethod("delete");
            Method pid = configType.getMethod("getPid");
            int deleted = 0;
            for (Object config : configs) {
                Object file = ((Dictionary<?, ?>) properties.invoke(config)).get(FILENAME);
                Path path = file == null ? null : toPath(file.toString());
                if (path != null && path.startsWith(confDir) && !Files.exists(path)) {
                    LOG.info("deleting configuration {}: its file {} is gone", pid.invoke(config), path);
                    delete.invoke(config);
                    deleted++;
                }
            }
            return deleted;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("could not check for configurations of deleted .cfg files", e);
            return 0;
        } finally {
            system.ungetService(ref);
        }
    }

    private static Path toPath(String fileName) {
        try {
            return fileName.startsWith("file:") ? Path.of(URI.create(fileName)) : Path.of(fileName);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
