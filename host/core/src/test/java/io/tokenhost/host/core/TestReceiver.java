package io.tokenhost.host.core;

import io.tokenhost.api.DelegationTokenReceiver;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what it was given: each token delivery as text, each withdrawal as {@code WITHDRAWN}. */
class TestReceiver implements DelegationTokenReceiver {

    final String service;
    final List<String> events = new CopyOnWriteArrayList<>();
    volatile RuntimeException failure;

    TestReceiver(String service) {
        this.service = service;
    }

    @Override
    public String serviceName() {
        return service;
    }

    @Override
    public void onNewTokensObtained(byte[] tokens) {
        if (failure != null) {
            throw failure;
        }
        events.add(new String(tokens, StandardCharsets.UTF_8));
    }

    @Override
    public void onTokensWithdrawn() {
        events.add("WITHDRAWN");
    }

    String last() {
        return events.isEmpty() ? null : events.get(events.size() - 1);
    }
}
