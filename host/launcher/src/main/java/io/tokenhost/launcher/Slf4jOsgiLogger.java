package io.tokenhost.launcher;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.IllegalFormatException;

import org.osgi.service.log.FormatterLogger;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerConsumer;
import org.slf4j.event.Level;
import org.slf4j.helpers.FormattingTuple;
import org.slf4j.helpers.MessageFormatter;

/**
 * An OSGi {@link Logger} (or {@link FormatterLogger}) backed by an slf4j logger. A dynamic proxy:
 * the interface has ~50 overloads that differ only in level and argument shape, all mapped here by
 * method name. OSGi {@code audit} has no slf4j level; it is logged at INFO.
 */
final class Slf4jOsgiLogger implements InvocationHandler {

    private final org.slf4j.Logger log;
    private final boolean printf;

    private Slf4jOsgiLogger(org.slf4j.Logger log, boolean printf) {
        this.log = log;
        this.printf = printf;
    }

    static <L extends Logger> L create(org.slf4j.Logger log, Class<L> type) {
        if (type != Logger.class && type != FormatterLogger.class) {
            throw new IllegalArgumentException("unsupported logger type " + type.getName());
        }
        Object proxy = Proxy.newProxyInstance(Slf4jOsgiLogger.class.getClassLoader(),
                new Class<?>[] {type}, new Slf4jOsgiLogger(log, type == FormatterLogger.class));
        return type.cast(proxy);
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        String name = method.getName();
        switch (name) {
            case "getName": return log.getName();
            case "toString": return "OSGi logger " + log.getName();
            case "hashCode": return System.identityHashCode(proxy);
            case "equals": return proxy == args[0];
            default: break;
        }
        if (name.startsWith("is") && name.endsWith("Enabled")) {
            return enabled(levelOf(name.substring(2, name.length() - "Enabled".length())));
        }
        Level level = levelOf(name);
        if (!enabled(level)) {
            return null;
        }
        if (args.length == 1 && args[0] instanceof LoggerConsumer<?> consumer) {
            @SuppressWarnings("unchecked")
            LoggerConsumer<Exception> c = (LoggerConsumer<Exception>) consumer;
            c.accept((Logger) proxy);
            return null;
        }
        String format = (String) args[0];
        Object[] params = flatten(args);
        FormattingTuple tuple = format(format, params);
        log.atLevel(level).setCause(tuple.getThrowable()).log(tuple.getMessage());
        return null;
    }

    private FormattingTuple format(String format, Object[] params) {
        if (!printf) {
            return MessageFormatter.arrayFormat(format, params);
        }
        Throwable t = params.length > 0 && params[params.length - 1] instanceof Throwable last ? last : null;
        try {
            return new FormattingTuple(String.format(format, params), params, t);
        } catch (IllegalFormatException e) {
            return new FormattingTuple(format + " " + Arrays.toString(params), params, t);
        }
    }

    /** (String), (String, Object), (String, Object, Object) and (String, Object...) as one array. */
    private static Object[] flatten(Object[] args) {
        if (args.length == 2 && args[1] instanceof Object[] varargs) {
            return varargs;
        }
        return Arrays.copyOfRange(args, 1, args.length);
    }

    private boolean enabled(Level level) {
        return log.isEnabledForLevel(level);
    }

    private static Level levelOf(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "trace" -> Level.TRACE;
            case "debug" -> Level.DEBUG;
            case "warn" -> Level.WARN;
            case "error" -> Level.ERROR;
            default -> Level.INFO; // info, audit
        };
    }
}
