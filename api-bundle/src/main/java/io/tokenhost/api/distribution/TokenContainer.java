package io.tokenhost.api.distribution;

import io.tokenhost.api.ServiceNames;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * All current tokens, by service name, with a version that increases with every change, and for
 * each service the instant its tokens are valid until, if its provider said (since 1.1). Immutable:
 * "changing" it returns a new container. Its wire form is {@link TokenContainerCodec}.
 *
 * <p>Valid-until instants are kept to the millisecond (truncated, so never later than the
 * provider's), as the wire form carries them, and must lie between the epoch (1970) and {@link
 * #MAX_VALID_UNTIL}.
 */
public final class TokenContainer {

    /** Most services one container may hold. */
    public static final int MAX_SERVICES = 1024;
    /** Most bytes one service's tokens may take. */
    public static final int MAX_TOKEN_BYTES = 1 << 20;

    /**
     * The latest valid-until a container carries: the largest epoch-millisecond count.
     *
     * @since 1.1
     */
    public static final Instant MAX_VALID_UNTIL = Instant.ofEpochMilli(Long.MAX_VALUE);

    private static final TokenContainer EMPTY = new TokenContainer(0, new TreeMap<>(), new TreeMap<>());

    private final long version;
    private final TreeMap<String, byte[]> tokens;
    /** Only services whose provider gave a valid-until; every key is also in {@code tokens}. */
    private final TreeMap<String, Instant> validUntil;

    private TokenContainer(long version, TreeMap<String, byte[]> tokens, TreeMap<String, Instant> validUntil) {
        this.version = version;
        this.tokens = tokens;
        this.validUntil = validUntil;
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
        return of(version, tokens, Map.of());
    }

    /**
     * A container with the given version, tokens and valid-until instants; services missing from
     * {@code validUntil} have none. Every name is validated, every array copied.
     *
     * @throws IllegalArgumentException for a negative version, a bad service name, a size over the
     *     limits, a valid-until for a service without tokens or outside the epoch..{@link
     *     #MAX_VALID_UNTIL}
     * @since 1.1
     */
    public static TokenContainer of(long version, Map<String, byte[]> tokens, Map<String, Instant> validUntil) {
        if (version < 0) {
            throw new IllegalArgumentException("container version must be >= 0, got " + version);
        }
        if (tokens.size() > MAX_SERVICES) {
            throw new IllegalArgumentException(
                    "a container holds at most " + MAX_SERVICES + " services, got " + tokens.size());
        }
        TreeMap<String, byte[]> copy = new TreeMap<>();
        tokens.forEach((name, bytes) -> copy.put(ServiceNames.validate(name), checkedCopy(name, bytes)));
        TreeMap<String, Instant> expiries = new TreeMap<>();
        validUntil.forEach((name, until) -> {
            if (!copy.containsKey(name)) {
                throw new IllegalArgumentException("valid-until given for '" + name + "', which has no tokens");
            }
            expiries.put(name, checkedValidUntil(name, until));
        });
        return new TokenContainer(version, copy, expiries);
    }

    /** This container with one service's tokens set, without a valid-until, at the given version. */
    public TokenContainer with(long newVersion, String service, byte[] serviceTokens) {
        return with(newVersion, service, serviceTokens, null, false);
    }

    /**
     * This container with one service's tokens set, valid until {@code validUntil}, at the given
     * version.
     *
     * @throws IllegalArgumentException also for a valid-until outside the epoch..{@link #MAX_VALID_UNTIL}
     * @since 1.1
     */
    public TokenContainer with(long newVersion, String service, byte[] serviceTokens, Instant validUntil) {
        return with(newVersion, service, serviceTokens, validUntil, true);
    }

    private TokenContainer with(long newVersion, String service, byte[] serviceTokens, Instant until, boolean given) {
        TreeMap<String, byte[]> copy = new TreeMap<>(tokens);
        copy.put(ServiceNames.validate(service), checkedCopy(service, serviceTokens));
        if (copy.size() > MAX_SERVICES) {
            throw new IllegalArgumentException("a container holds at most " + MAX_SERVICES + " services");
        }
        TreeMap<String, Instant> expiries = new TreeMap<>(validUntil);
        if (given) {
            expiries.put(service, checkedValidUntil(service, until));
        } else {
            expiries.remove(service);
        }
        return new TokenContainer(checkVersion(newVersion), copy, expiries);
    }

    /** This container without one service, at the given version. */
    public TokenContainer without(long newVersion, String service) {
        TreeMap<String, byte[]> copy = new TreeMap<>(tokens);
        copy.remove(service);
        TreeMap<String, Instant> expiries = new TreeMap<>(validUntil);
        expiries.remove(service);
        return new TokenContainer(checkVersion(newVersion), copy, expiries);
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

    /**
     * Until when one service's tokens are valid, to the millisecond; empty if the container holds
     * no tokens for it or its provider gave no valid-until.
     *
     * @since 1.1
     */
    public Optional<Instant> validUntil(String service) {
        return Optional.ofNullable(validUntil.get(service));
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

    /** Read access for the codec: the valid-until of the services that have one. */
    Map<String, Instant> validUntils() {
        return Collections.unmodifiableMap(validUntil);
    }

    /** Same version, same bytes and same valid-until for every service. */
    @Override
    public boolean equals(Object other) {
        if (!(other instanceof TokenContainer that) || version != that.version
                || !tokens.keySet().equals(that.tokens.keySet()) || !validUntil.equals(that.validUntil)) {
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

    private static Instant checkedValidUntil(String service, Instant until) {
        if (until == null) {
            throw new IllegalArgumentException("valid-until of '" + service + "' is null");
        }
        if (until.isBefore(Instant.EPOCH) || until.isAfter(MAX_VALID_UNTIL)) {
            throw new IllegalArgumentException("valid-until of '" + service + "' is " + until + "; it must lie between "
                    + Instant.EPOCH + " and " + MAX_VALID_UNTIL);
        }
        return until.truncatedTo(ChronoUnit.MILLIS);
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
