package io.tokenhost.hadoop.provider;

import io.tokenhost.hadoop.support.TokenStorage;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.security.token.Token;
import org.apache.hadoop.security.token.TokenIdentifier;
import org.apache.hadoop.security.token.delegation.AbstractDelegationTokenIdentifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tokens from a Hadoop token file given at start ({@code import-token-file}), by service. One is
 * used instead of obtaining a new token for its file system while less than {@link #USE_RATIO}
 * of its lifetime has passed; after that the provider obtains its own.
 */
final class ImportedTokens {

    /** The same fraction at which the host renews by default. */
    static final double USE_RATIO = 0.75;

    private static final Logger LOG = LoggerFactory.getLogger(ImportedTokens.class);

    /** {@code issued}: when it was imported; {@code validUntil}: its expiration after renewing it then. */
    private record Imported(Token<? extends TokenIdentifier> token, Instant issued, Instant validUntil) {
    }

    private final Map<Text, Imported> byService = new HashMap<>();
    private final Clock clock;

    private ImportedTokens(Clock clock) {
        this.clock = clock;
    }

    static ImportedTokens none() {
        return new ImportedTokens(Clock.systemUTC());
    }

    static ImportedTokens load(Path file, UserGroupInformation renewer, Configuration conf, Clock clock) throws IOException {
        ImportedTokens imported = new ImportedTokens(clock);
        Credentials credentials = new Credentials();
        try (InputStream in = Files.newInputStream(file); DataInputStream data = new DataInputStream(in)) {
            credentials.readTokenStorageStream(data);
        } catch (IOException e) {
            throw new IOException(ProviderSettings.IMPORT_TOKEN_FILE + ": cannot read " + file + " as a Hadoop token file: "
                    + e.getClass().getSimpleName(), null);
        }
        for (Token<? extends TokenIdentifier> token : credentials.getAllTokens()) {
            AbstractDelegationTokenIdentifier id = TokenStorage.identifier(token);
            Optional<Instant> until = TokenValidity.of(token, renewer, conf);
            if (id == null || until.isEmpty() || !until.get().isAfter(clock.instant())) {
                LOG.info("not importing {}: expired or without dates", TokenStorage.describe(token));
                continue;
            }
            imported.byService.put(token.getService(), new Imported(token, clock.instant(), until.get()));
            LOG.info("imported {} valid until {}", TokenStorage.describe(token), until.get());
        }
        return imported;
    }

    /** The imported token for this service while it is fresh enough to use instead of a new one. */
    Optional<Token<? extends TokenIdentifier>> usable(Text service) {
        Imported imported = byService.get(service);
        if (imported == null) {
            return Optional.empty();
        }
        long lifetime = imported.validUntil().toEpochMilli() - imported.issued().toEpochMilli();
        Instant useUntil = imported.issued().plusMillis((long) (lifetime * USE_RATIO));
        if (clock.instant().isBefore(useUntil)) {
            return Optional.of(imported.token());
        }
        byService.remove(service);
        LOG.info("imported token for {} is near expiry; obtaining a new one", service);
        return Optional.empty();
    }

    boolean isEmpty() {
        return byService.isEmpty();
    }
}
