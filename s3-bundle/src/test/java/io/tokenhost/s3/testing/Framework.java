package io.tokenhost.s3.testing;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.felix.framework.Felix;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;

/** A real OSGi framework (Felix) in the test JVM, in which the components register their services. */
public final class Framework implements AutoCloseable {

    private final Felix felix;

    public Framework(Path storage) throws Exception {
        felix = new Felix(Map.of(Constants.FRAMEWORK_STORAGE, storage.toString(),
                Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT));
        felix.start();
    }

    public BundleContext context() {
        return felix.getBundleContext();
    }

    /** The services registered under a type, oldest first. */
    public List<ServiceReference<?>> references(Class<?> type) throws Exception {
        ServiceReference<?>[] found = context().getServiceReferences(type.getName(), null);
        return found == null ? List.of() : Arrays.stream(found)
                .sorted(Comparator.comparing(r -> (Long) r.getProperty(Constants.SERVICE_ID))).toList();
    }

    @SuppressWarnings("unchecked")
    public <S> S service(ServiceReference<?> reference) {
        return (S) context().getService(reference);
    }

    @Override
    public void close() throws Exception {
        felix.stop();
        felix.waitForStop(10_000);
    }
}
