package io.tokenhost.remote.manager;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.tokenhost.remote.logging.Refusals;
import io.tokenhost.remote.wire.Frames;
import io.tokenhost.remote.wire.MalformedFrameException;
import io.tokenhost.remote.wire.WorkerFrame;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker's stream on the manager. Outgoing containers wait in a slot that holds only the
 * newest one, and are written only while the transport is ready: a slow or dead worker holds at
 * most one container here and delays no other worker.
 */
final class WorkerSession implements StreamObserver<byte[]> {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerSession.class);

    /** A push frame, encoded once for every worker, the epoch it was made under and the version inside it. */
    record Outgoing(long epoch, long version, byte[] frame) {
    }

    final long id;
    private final ManagerServer server;
    private final ServerCallStreamObserver<byte[]> out;
    private final String address;
    private final String subject;
    /** The client certificate; null without TLS. */
    private final java.security.cert.X509Certificate certificate;
    /** The id this worker must claim (its certificate's CN); empty when ids are not bound. */
    private final Optional<String> requiredId;
    private final Clock clock;
    private final Instant connectedSince;

    private String workerId;
    private volatile int protocol;
    /** The epoch this session was welcomed under; only containers of it are sent, only acks of it count. */
    private volatile long epoch;
    private Outgoing pending;
    private long offeredVersion;
    private long sentVersion;
    private volatile long ackedVersion;
    private volatile Instant lastAck;
    private boolean closed;

    /**
     * @param requiredId the only worker id this stream may claim (the CN of its client certificate;
     *     "" when the certificate has no single CN, so that no id matches), or empty: any id
     */
    WorkerSession(long id, ManagerServer server, ServerCallStreamObserver<byte[]> out, String address, String subject,
            java.security.cert.X509Certificate certificate, Optional<String> requiredId, Clock clock) {
        this.certificate = certificate;
        this.id = id;
        this.server = server;
        this.out = out;
        this.address = address;
        this.subject = subject;
        this.requiredId = requiredId;
        this.clock = clock;
        this.connectedSince = clock.instant();
        out.setOnReadyHandler(this::drain);
        out.setOnCancelHandler(() -> end("cancelled"));
    }

    synchronized String workerId() {
        return workerId;
    }

    // ---- from the worker

    @Override
    public void onNext(byte[] bytes) {
        WorkerFrame frame;
        try {
            frame = Frames.parseWorkerFrame(bytes);
        } catch (MalformedFrameException e) {
            refuse(e.getMessage());
            return;
        }
        // WorkerFrame is sealed: these are all its kinds (a switch with patterns needs Java 21)
        if (frame instanceof WorkerFrame.Hello hello) {
            hello(hello.workerId(), hello.protocolVersion(), hello.waitForLeader(), hello.hold());
        } else if (frame instanceof WorkerFrame.Ack ack) {
            acknowledged(ack);
        }
    }

    private void hello(String claimed, int protocol, boolean waitForLeader, boolean hold) {
        boolean second;
        boolean denied = false;
        synchronized (this) {
            second = workerId != null;
            if (!second) {
                denied = requiredId.isPresent() && !requiredId.get().equals(claimed);
                if (!denied) {
                    workerId = claimed;
                }
            }
        }
        if (second) {
            refuse("a second hello");
            return;
        }
        if (denied) {
            deny(claimed);
            return;
        }
        this.protocol = protocol;
        ManagerServer.Term term = server.term();
        if (!term.leading()) {
            if (hold && server.hold(this, term)) {
                LOG.debug("Worker '{}' from {} holds a stream here until this manager leads", claimed, address);
                return;
            }
            if (waitForLeader && server.park(this, term)) {
                LOG.debug("Worker '{}' from {} waits here for a leader", claimed, address);
                return;
            }
            LOG.debug("Worker '{}' from {} refused: this manager does not lead", claimed, address);
            closeWith(server.notLeadingStatus(term), server.notLeadingTrailers(term));
            return;
        }
        welcome(term);
    }

    /** Welcomes the worker under {@code term} (it leads) and registers it; also for a worker that waited here. */
    void welcome(ManagerServer.Term term) {
        String claimed = workerId();
        if (term.leaderEpoch() && protocol < 2) {
            closeWith(Status.FAILED_PRECONDITION.withDescription("this manager is one of several (high availability);"
                    + " a worker must speak protocol 2 to be fenced from a deposed leader: upgrade the worker"), null);
            return;
        }
        Optional<String> revoked = server.revocationReason(certificate, claimed);
        if (revoked.isPresent()) {
            // a reconnect that resumed an earlier TLS session skipped the trust manager's check: refused
            // here, before the welcome, so the worker backs off as after a refused handshake
            if (closeWith(Status.PERMISSION_DENIED.withDescription("revoked: " + revoked.get()), null)) {
                server.refusalLog().refused(Refusals.Kind.UNTRUSTED_CERTIFICATE, LOG, () -> "Refused worker '" + claimed
                        + "' from " + address + " (" + subject + ") at its hello: revoked: " + revoked.get());
            }
            return;
        }
        synchronized (this) {
            if (closed) {
                return; // a worker that waited here and went away meanwhile
            }
            epoch = term.epoch();
            out.onNext(protocol >= 2 ? Frames.welcome(term.epoch(), term.leaderEpoch()) : Frames.welcome(term.epoch()));
        }
        LOG.info("Worker '{}' connected from {} ({})", claimed, address, subject);
        server.register(this, term);
    }

    private void acknowledged(WorkerFrame.Ack ack) {
        if (workerId() == null) {
            refuse("an ack before the hello");
            return;
        }
        long sent;
        long welcomedUnder;
        synchronized (this) {
            sent = sentVersion;
            welcomedUnder = epoch;
        }
        // only acks of the term this stream was welcomed under count (0 while a standby holds it: nothing sent)
        if (ack.epoch() == welcomedUnder && ack.version() > sent) {
            server.refusalLog().refused(Refusals.Kind.ACK_ABOVE_SENT, LOG, () -> "Refused an acknowledgement of version "
                    + ack.version() + " from worker '" + workerId() + "' at " + address + ": it was sent version " + sent);
            return;
        }
        if (ack.epoch() == welcomedUnder && ack.version() > ackedVersion) {
            ackedVersion = ack.version();
            lastAck = clock.instant();
            server.acknowledged(this, ack.version());
        }
    }

    @Override
    public void onError(Throwable t) {
        end("connection lost: " + Status.fromThrowable(t).getCode());
    }

    @Override
    public void onCompleted() {
        end("the worker closed the stream");
        synchronized (this) {
            try {
                out.onCompleted();
            } catch (RuntimeException e) {
                // already gone
            }
        }
    }

    // ---- to the worker

    /** Queues a container, replacing any not yet written, and writes it if the transport is ready. */
    void offer(Outgoing outgoing) {
        synchronized (this) {
            if (closed || outgoing.epoch() != epoch || outgoing.version() <= offeredVersion) {
                return; // an older container raced a newer one: the newer wins
            }
            offeredVersion = outgoing.version();
            pending = outgoing;
        }
        drain();
    }

    private synchronized void drain() {
        if (closed || pending == null || !out.isReady()) {
            return;
        }
        Outgoing next = pending;
        pending = null;
        try {
            out.onNext(next.frame());
            sentVersion = next.version();
        } catch (RuntimeException e) {
            closed = true;
            server.unregister(this, "write failed: " + e.getClass().getSimpleName());
        }
    }

    synchronized WorkerInfo info() {
        return new WorkerInfo(id, workerId == null ? "-" : workerId, address, subject, ackedVersion, sentVersion,
                connectedSince, Optional.ofNullable(lastAck), Optional.empty());
    }

    long ackedVersion() {
        return ackedVersion;
    }

    /** Closes the stream from the manager's side (the manager is stopping). */
    void shutdown() {
        closeWith(Status.UNAVAILABLE.withDescription("manager stopping"), null);
    }

    /** This manager stopped leading (high availability): the stream ends, naming the leader if known. */
    void notLeading(Status status, Metadata trailers) {
        if (closeWith(status, trailers)) {
            server.unregister(this, "this manager no longer leads");
        }
    }

    /**
     * The claimed id is not the certificate's: the stream ends with PERMISSION_DENIED before
     * anything but this status was sent (the session was never registered, so no container).
     */
    private void deny(String claimed) {
        String cn = requiredId.orElse("");
        String why = cn.isEmpty()
                ? "worker id '" + claimed + "' refused: the client certificate (" + subject + ") has no single CN to bind it to"
                : "worker id '" + claimed + "' does not match the client certificate's CN '" + printable(cn) + "'";
        server.identityRefused(address, subject, claimed);
        closeWith(Status.PERMISSION_DENIED.withDescription(why), null);
    }

    /**
     * Ends the stream with this status, once; nothing pending is sent after it.
     *
     * @return false if the stream had already ended
     */
    private synchronized boolean closeWith(Status status, Metadata trailers) {
        if (closed) {
            return false;
        }
        closed = true;
        pending = null;
        try {
            out.onError(status.asRuntimeException(trailers));
        } catch (RuntimeException e) {
            // already gone
        }
        return true;
    }

    /** A CN as it may appear in a status or log line: no control characters, at most 128 characters. */
    private static String printable(String name) {
        String flat = name.replaceAll("\\p{Cntrl}", "?");
        return flat.length() > 128 ? flat.substring(0, 128) + "…" : flat;
    }

    /** Another connection said hello with this worker's id: this older one is closed. */
    void replacedBy(String newAddress) {
        if (!closeWith(Status.ABORTED.withDescription("replaced by a newer connection of worker '" + workerId
                + "' from " + newAddress), null)) {
            return;
        }
        server.unregister(this, "replaced by a newer connection from " + newAddress);
    }

    java.security.cert.X509Certificate certificate() {
        return certificate;
    }

    /** The worker's certificate or id was revoked: its stream ends now, with nothing more sent. */
    void revoked(String reason) {
        if (!closeWith(Status.PERMISSION_DENIED.withDescription("revoked: " + reason), null)) {
            return;
        }
        LOG.warn("Closed the stream of worker '{}' from {} ({}): revoked: {}", workerId(), address, subject, reason);
        server.unregister(this, "revoked");
    }

    synchronized boolean isClosed() {
        return closed;
    }

    String address() {
        return address;
    }

    /**
     * Called {@code after} the stream opened ({@link ManagerServer#HELLO_TIMEOUT}): no hello by then,
     * the stream is closed and counted. A stream that said hello (also one a standby holds) is left alone.
     */
    void helloDeadline(java.time.Duration after) {
        synchronized (this) {
            if (workerId != null || closed) {
                return;
            }
        }
        String within = after.toMillis() % 1000 == 0 ? after.toSeconds() + " s" : after.toMillis() + " ms";
        if (closeWith(Status.DEADLINE_EXCEEDED.withDescription("no hello within " + within), null)) {
            server.refusalLog().refused(Refusals.Kind.HELLO_TIMEOUT, LOG, () -> "Closed a stream from " + address
                    + " (" + subject + ") that sent no hello within " + within);
        }
    }

    private void refuse(String why) {
        server.refusalLog().refused(Refusals.Kind.MALFORMED_FRAME, LOG, () -> "Refused a malformed frame from " + address
                + " (" + subject + "): " + why + "; closing its stream");
        if (!closeWith(Status.INVALID_ARGUMENT.withDescription("malformed frame: " + why), null)) {
            return;
        }
        server.unregister(this, "malformed frame");
    }

    private void end(String why) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            pending = null;
        }
        server.unregister(this, why);
    }
}
