package io.tokenhost.remote.manager;

import io.grpc.Attributes;
import io.grpc.ServerTransportFilter;
import io.tokenhost.remote.logging.Refusals;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the connections that ended before they became a gRPC transport: with TLS, a client without
 * a certificate, with an untrusted one (also counted on its own), one that never completed the
 * handshake within its timeout (an idle TCP connection), or one that spoke something else. gRPC
 * hands a transport that never got ready to its filters with no attributes; nothing of the peer is
 * known by then, so the log line (shared budget) names none.
 */
final class HandshakeFailures extends ServerTransportFilter {

    private static final Logger LOG = LoggerFactory.getLogger(HandshakeFailures.class);

    private final Refusals refusals;

    HandshakeFailures(Refusals refusals) {
        this.refusals = refusals;
    }

    @Override
    public void transportTerminated(Attributes attributes) {
        if (attributes == null) {
            refusals.refused(Refusals.Kind.HANDSHAKE_FAILED, LOG, () -> "Closed a connection that did not complete"
                    + " the TLS handshake (no or an untrusted client certificate, idle, or not TLS)");
        }
    }
}
