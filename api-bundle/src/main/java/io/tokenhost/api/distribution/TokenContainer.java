package io.tokenhost.api.distribution;

import io.tokenhost.api.ServiceNames;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * All current tokens, by service name, with a version that increases with every change. Immutable:
 * "changing" it returns a new container. Its wire form is {@link TokenContainerCodec}.
 */
public final class TokenContainer {

    /** Most services one container may hold. */
    public static final int MAX_SERVICES = 1024;
    /** Most bytes one service's tokens may take. */
    public static final int MAX_TOKEN_BYTES = 1 << 20;

    private static final TokenContainer EMPTY = new TokenContainer(0, new TreeMap<>());

    private final long version;
    private final TreeMap<String, byte[]> tokens;

    private TokenContainer(long version, TreeMap<String, byte[]> tokens) {
        this.version = version;
        this.tokens = tokens;
    }

    /** The empty container, version 0. */
    public static TokenContainer empty() {
        return EMPTY;
    }

    /**
     * A container with the given version and tokens; every name is validated and every array
     * copied.
     *
     * @throws IllegalArgumentException for a negative version, a bad service name or a size over
     *     the limits
     */
    public static TokenContainer of(long version, Map<String, byte[]> tokens) {
        if (version < 0) {
            throw new IllegalArgumentException("container version must be >= 0, got " + version);
        }
        if (tokens.size() > MAX_SERVICES) {
            throw new IllegalArgumentException(
                    "a container holds at most " + MAX_SERVICES + " services, got " + tokens.size());
        }
        TreeMap<String, byte[]> copy = new TreeMap<>();
        tokens.forEach((name, bytes) -> copy.put(ServiceNames.validate(name), checkedCopy(name, bytes)));
        return new TokenContainer(version, copy);
    }

    /** This container with one service's tokens set, at the given version. */
    public TokenContainer with(long newVersion, String service, byte[] serviceTokens) {
        TreeMap<String, byte[]> copy = new TreeMap<>(tokens);
        copy.put(ServiceNames.validate(service), checkedCopy(service, serviceTokens));
        if (copy.size() > MAX_SERVICES) {
            throw new IllegalArgumentException("a container holds at most " + MAX_SERVICES + " services");
        }
        return new TokenContainer(checkVersion(newVersion), copy);
    }

    /** This container without one service, at the given version. */
    public TokenContainer without(long newVersion, String service) {
        TreeMap<String, byte[]> copy = new TreeMap<>(tokens);
        copy.remove(service);
        return new TokenContainer(checkVersion(newVersion), copy);
    }

    public long version() {
        return version;
    }

    /** The service names, sorted. */
    public SortedSet<String> services() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(tokens.keySet()));
    }

    /** A copy of one service's tokens. */
    public Optional<byte[]> tokens(String service) {
        byte[] bytes = tokens.get(service);
        return bytes == null ? Optional.empty() : Optional.of(bytes.clone());
    }

    public boolean isEmpty() {
        return tokens.isEmpty();
    }

    public int size() {
        return tokens.size();
    }

    /** Read access for the codec without copying. */
    Map<String, byte[]> entries() {
        return Collections.unmodifiableMap(tokens);
    }

    /** Same version and same bytes for every service. */
    @Override
    public boolean equals(Object other) {
        if (!(other instanceof TokenContainer that) || version != that.version
                || !tokens.keySet().equals(that.tokens.keySet())) {
            return false;
        }
        return tokens.entrySet().stream()
                .allMatch(e -> java.util.Arrays.equals(e.getValue(), that.tokens.get(e.getKey())));
    }

    @Override
    public int hashCode() {
        return Long.hashCode(version) * 31 + tokens.keySet().hashCode();
    }

    /** Never shows the token bytes. */
    @Override
    public String toString() {
        return "TokenContainer[version=" + version + ", services=" + tokens.keySet() + "]";
    }

    private long checkVersion(long newVersion) {
        if (newVersion <= version) {
            throw new IllegalArgumentException(
                    "container version must increase: " + newVersion + " <= " + version);
        }
        return newVersion;
    }

    private static byte[] checkedCopy(String service, byte[] bytes) {
        if (bytes == null) {
            throw new IllegalArgumentException("tokens of '" + service + "' are null");
        }
        if (bytes.length > MAX_TOKEN_BYTES) {
            throw new IllegalArgumentException("tokens of '" + service + "' take " + bytes.length
                    + " bytes; at most " + MAX_TOKEN_BYTES + " are allowed");
        }
        return bytes.clone();
    }
}
