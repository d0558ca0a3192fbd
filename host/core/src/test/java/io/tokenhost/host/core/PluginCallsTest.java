package io.tokenhost.host.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.api.DelegationTokenProvider;
import io.tokenhost.api.DelegationTokenReceiver;
import io.tokenhost.api.ObtainedTokens;
import io.tokenhost.api.distribution.TokenContainerListener;
import io.tokenhost.itests.support.Await;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the host promises about calls into plugins, checked without help from the plugin: the
 * host's threads have a context class loader of their own (as in Felix), the plugins' classes come
 * from another loader, and the plugins here set no context loader themselves.
 */
class PluginCallsTest {

    private static final Await AWAIT = Await.atMost(Duration.ofSeconds(10)).every(Duration.ofMillis(2));

    /** The context class loader of the host's threads: not the loader of any plugin class. */
    private final ClassLoader hostLoader = new URLClassLoader("host", new URL[0], null);
    /** The loader of the plugin classes below (the test's own). */
    private final ClassLoader pluginLoader = PluginCallsTest.class.getClassLoader();

    private final ExecutorService deliveryPool = Executors.newFixedThreadPool(4, task -> {
        Thread thread = new Thread(task, "delivery");
        thread.setContextClassLoader(hostLoader);
        return thread;
    });

    @AfterEach
    void stop() {
        deliveryPool.shutdownNow();
    }

    /**
     * Kills: calling {@code provider.obtainDelegationTokens()}/{@code delegationTokensRequired()}
     * directly in {@code ObtainOutcome.ask}, {@code receiver.onNewTokensObtained}/{@code
     * onTokensWithdrawn} directly in {@code ReceiverHandle.deliver}, or {@code listener.onContainer}
     * directly in {@code ListenerHandle.tell} (without {@code ContextClassLoader.call}): the plugin
     * then sees the host's loader. Also kills not restoring the host's loader afterwards.
     */
    @Test
    void everyCallIntoAPluginRunsWithThePluginsContextClassLoaderAndTheHostsIsRestored() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        DeterministicManager harness = new DeterministicManager();
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(hostLoader); // the harness runs plugin code on this thread
        try {
            harness.manager.addReceiver(new DelegationTokenReceiver() {
                @Override
                public String serviceName() {
                    return "hdfs";
                }

                @Override
                public void onNewTokensObtained(byte[] tokens) {
                    seen.add("receive " + loaderName());
                }

                @Override
                public void onTokensWithdrawn() {
                    seen.add("withdraw " + loaderName());
                }
            }, "receiver");
            harness.manager.addListener((TokenContainerListener) container -> seen.add("listen " + loaderName()),
                    "listener");
            DelegationTokenProvider provider = new DelegationTokenProvider() {
                @Override
                public String serviceName() {
                    return "hdfs";
                }

                @Override
                public boolean delegationTokensRequired() {
                    seen.add("required " + loaderName());
                    return true;
                }

                @Override
                public ObtainedTokens obtainDelegationTokens() {
                    seen.add("obtain " + loaderName());
                    return ObtainedTokens.withoutExpiry("t".getBytes(StandardCharsets.UTF_8));
                }
            };
            harness.manager.addProvider(provider, "provider");
            harness.settle();
            harness.manager.removeProvider(provider);
            harness.settle();

            assertThat(Thread.currentThread().getContextClassLoader()).as("the host's loader is back").isSameAs(hostLoader);
        } finally {
            Thread.currentThread().setContextClassLoader(before);
        }
        assertThat(seen).containsExactlyInAnyOrder("required plugin", "obtain plugin", "receive plugin", "listen plugin",
                "withdraw plugin", "listen plugin");
    }

    private String loaderName() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return loader == pluginLoader ? "plugin" : loader == hostLoader ? "host" : String.valueOf(loader);
    }

    /**
     * The README's promise "calls to one receiver never overlap, and a receiver that is still busy
     * is handed only the newest state next", through the whole manager on a delivery pool of four
     * threads. Kills: deleting the {@code draining} guard in {@code LatestOnlyMailbox.offer}, and a
     * {@code TokenDelivery} that hands each version to the executor itself instead of through the
     * receiver's mailbox.
     */
    @Test
    void aBusyReceiverIsNeverCalledTwiceAtOnceAndGetsOnlyTheNewestTokensNext() throws Exception {
        ManualClock clock = new ManualClock(DeterministicManager.START);
        ManualExecutor obtains = new ManualExecutor();
        AtomicInteger deliveryTasks = new AtomicInteger();
        TokenManager manager = new TokenManager(clock, new FakeTimer(clock, () -> { }), obtains, task -> {
            deliveryTasks.incrementAndGet();
            deliveryPool.execute(task);
        }, () -> 0.5, ManagerSettings.DEFAULTS);
        CountDownLatch inFirstCall = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        List<String> got = new CopyOnWriteArrayList<>();
        TestReceiver receiver = new TestReceiver("hdfs") {
            @Override
            public void onNewTokensObtained(byte[] tokens) {
                if (inside.incrementAndGet() > 1) {
                    overlaps.incrementAndGet();
                }
                String text = new String(tokens, StandardCharsets.UTF_8);
                got.add(text);
                if (text.equals("hdfs-1")) {
                    inFirstCall.countDown();
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                inside.decrementAndGet();
            }
        };
        try {
            manager.addReceiver(receiver, "receiver");
            manager.addProvider(new TestProvider("hdfs", clock), "provider");
            obtains.runAll();
            assertThat(inFirstCall.await(10, TimeUnit.SECONDS)).as("the receiver is busy with hdfs-1").isTrue();

            for (int i = 0; i < 3; i++) {
                manager.obtainNow("hdfs");
                obtains.runAll(); // hdfs-2, hdfs-3, hdfs-4 while the receiver is busy
            }

            assertThat(manager.container().tokens("hdfs")).contains("hdfs-4".getBytes(StandardCharsets.UTF_8));
            assertThat(deliveryTasks).as("no second delivery started while the receiver is busy").hasValue(1);
        } finally {
            release.countDown();
        }
        AWAIT.until("the newest tokens delivered", () -> got.size() == 2);
        assertThat(got).containsExactly("hdfs-1", "hdfs-4");
        assertThat(overlaps).hasValue(0);
        manager.close();
    }
}
