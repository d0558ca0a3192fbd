package io.tokenhost.host.core;

import io.tokenhost.api.DelegationTokenProvider;
import io.tokenhost.api.ObtainedTokens;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A provider whose behaviour a test steers: tokens {@code <service>-<n>} (or {@code <label>-<n>})
 * valid for a given lifetime (or without expiry), or a failure.
 */
class TestProvider implements DelegationTokenProvider {

    final String service;
    final AtomicInteger calls = new AtomicInteger();
    private final Clock clock;
    volatile Duration lifetime = Duration.ofHours(1);
    volatile boolean withoutExpiry;
    volatile boolean required = true;
    volatile RuntimeException failure;
    /** What its tokens start with, to tell two providers of one service apart. */
    private final String label;

    TestProvider(String service, Clock clock) {
        this(service, service, clock);
    }

    TestProvider(String service, String label, Clock clock) {
        this.service = service;
        this.label = label;
        this.clock = clock;
    }

    @Override
    public String serviceName() {
        return service;
    }

    @Override
    public boolean delegationTokensRequired() {
        return required;
    }

    @Override
    public ObtainedTokens obtainDelegationTokens() {
        int n = calls.incrementAndGet();
        if (failure != null) {
            throw failure;
        }
        byte[] tokens = (label + "-" + n).getBytes(StandardCharsets.UTF_8);
        return withoutExpiry ? ObtainedTokens.withoutExpiry(tokens)
                : ObtainedTokens.of(tokens, clock.instant().plus(lifetime));
    }
}
