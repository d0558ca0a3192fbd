package io.tokenhost.launcher;

import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceFactory;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.log.LogService;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * An OSGi Log Service (1.4, which includes {@link LoggerFactory}) that writes to slf4j, registered
 * from the system bundle. SCR (through LoggerFactory), ConfigAdmin and FileInstall (through
 * LogService) find it and stop printing to stdout. A service factory, so that each bundle's
 * {@code log(...)} calls are named after that bundle.
 */
public final class Slf4jLogService implements LogService {

    private final Bundle bundle;

    Slf4jLogService(Bundle bundle) {
        this.bundle = bundle;
    }

    /** The object to register under {@link LogService} and {@link LoggerFactory}. */
    public static ServiceFactory<Object> factory() {
        return new ServiceFactory<>() {
            @Override
            public Object getService(Bundle b, ServiceRegistration<Object> registration) {
                return new Slf4jLogService(b);
            }

            @Override
            public void ungetService(Bundle b, ServiceRegistration<Object> registration, Object service) {
                // stateless
            }
        };
    }

    @Override
    public void log(int level, String message) {
        log(level, message, null);
    }

    @Override
    public void log(int level, String message, Throwable exception) {
        org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(nameOf(bundle));
        switch (level) {
            case LOG_ERROR -> log.error(message, exception);
            case LOG_WARNING -> log.warn(message, exception);
            case LOG_INFO -> log.info(message, exception);
            case LOG_DEBUG -> log.debug(message, exception);
            default -> log.trace(message, exception);
        }
    }

    @Override
    @SuppressWarnings("deprecation")
    public void log(ServiceReference<?> sr, int level, String message) {
        log(level, message, null);
    }

    @Override
    @SuppressWarnings("deprecation")
    public void log(ServiceReference<?> sr, int level, String message, Throwable exception) {
        log(level, message, exception);
    }

    @Override
    public Logger getLogger(String name) {
        return getLogger(bundle, name, Logger.class);
    }

    @Override
    public Logger getLogger(Class<?> clazz) {
        return getLogger(bundle, clazz.getName(), Logger.class);
    }

    @Override
    public <L extends Logger> L getLogger(String name, Class<L> loggerType) {
        return getLogger(bundle, name, loggerType);
    }

    @Override
    public <L extends Logger> L getLogger(Class<?> clazz, Class<L> loggerType) {
        return getLogger(bundle, clazz.getName(), loggerType);
    }

    @Override
    public <L extends Logger> L getLogger(Bundle b, String name, Class<L> loggerType) {
        String slf4jName = name == null || Logger.ROOT_LOGGER_NAME.equals(name) ? nameOf(b) : name;
        return Slf4jOsgiLogger.create(org.slf4j.LoggerFactory.getLogger(slf4jName), loggerType);
    }

    private static String nameOf(Bundle b) {
        String bsn = b == null ? null : b.getSymbolicName();
        return bsn == null ? "osgi" : bsn;
    }
}
