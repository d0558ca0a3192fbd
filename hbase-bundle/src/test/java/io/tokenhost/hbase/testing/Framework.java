package io.tokenhost.hbase.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.felix.framework.Felix;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;

/** A real OSGi framework (Felix) in the test JVM, for components that register services by hand. */
public final class Framework implements AutoCloseable {

    private final Felix felix;

    private Framework(Felix felix) {
        this.felix = felix;
    }

    public static Framework start(Path storage) throws Exception {
        Felix felix = new Felix(Map.of(Constants.FRAMEWORK_STORAGE, storage.toString(),
                Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT));
        felix.start();
        return new Framework(felix);
    }

    public BundleContext context() {
        return felix.getBundleContext();
    }

    /** The ids of the services registered under a type, oldest first. */
    public List<Long> serviceIds(Class<?> type) throws Exception {
        List<Long> ids = new ArrayList<>();
        ServiceReference<?>[] references = context().getServiceReferences(type.getName(), null);
        for (ServiceReference<?> reference : references == null ? new ServiceReference<?>[0] : references) {
            ids.add((Long) reference.getProperty(Constants.SERVICE_ID));
        }
        ids.sort(null);
        return ids;
    }

    /** The one service registered under a type. */
    public <S> S service(Class<S> type) {
        return context().getService(context().getServiceReference(type));
    }

    @Override
    public void close() throws Exception {
        felix.stop();
        felix.waitForStop(TimeUnit.SECONDS.toMillis(10));
    }
}
