package io.tokenhost.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Installs the tokens of one service where client libraries find them. A plugin registers an
 * implementation as an OSGi service. Several receivers may listen to one service; a receiver that
 * throws is reported and does not stop the others.
 */
@ConsumerType
public interface DelegationTokenReceiver {

    /** The service whose tokens this receiver installs; see {@link ServiceNames}. */
    String serviceName();

    /**
     * Called with the current tokens when the receiver appears and after every successful obtain.
     * Calls for one receiver never overlap. The array is the receiver's own copy.
     */
    void onNewTokensObtained(byte[] tokens) throws Exception;

    /**
     * Called when the service's tokens are withdrawn: its provider left, was disabled, or the
     * tokens expired without a successful renewal. The receiver should stop offering them.
     */
    default void onTokensWithdrawn() throws Exception {
    }
}
