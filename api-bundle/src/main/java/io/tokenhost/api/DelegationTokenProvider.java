package io.tokenhost.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Obtains delegation tokens for one service. A plugin registers an implementation as an OSGi
 * service; the host calls it when the service appears and again before the tokens expire.
 *
 * <p>Authentication happens inside the provider (keytab, access keys, ...), so the host is
 * protocol-agnostic and long-term secrets stay in the manager process.
 *
 * <p>The host calls {@link #obtainDelegationTokens()} on its own thread with a timeout and
 * interrupts that thread when the timeout passes: implementations should let an interrupt end a
 * blocking call. Calls for one provider never overlap.
 */
@ConsumerType
public interface DelegationTokenProvider {

    /**
     * The service this provider obtains tokens for, unique within a host, such as {@code hadoopfs}
     * or {@code s3}. Must satisfy {@link ServiceNames#validate(String)} and must not change.
     */
    String serviceName();

    /**
     * Whether tokens are needed in the current setup, such as "is Kerberos security on". When
     * false the host skips the obtain and asks again at the next scheduled time.
     */
    default boolean delegationTokensRequired() throws Exception {
        return true;
    }

    /**
     * Obtains fresh tokens. The returned bytes are opaque to the host and are delivered unchanged
     * to the receivers of {@link #serviceName()}.
     *
     * @throws Exception any failure; the host keeps the last good tokens until they expire and
     *     retries with backoff. The message is shown to operators, so it must not contain secrets.
     */
    ObtainedTokens obtainDelegationTokens() throws Exception;
}
