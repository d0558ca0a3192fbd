package io.tokenhost.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.tokenhost.api.DelegationTokenProvider;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.ServiceReference;

/**
 * The bad fixtures behave as the other tests assume, checked without the host: so a failure in
 * the host tests points at the host, not at a fixture.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FixtureBundlesIT {

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() {
        return TokenhostOptions.withHost();
    }

    @Test
    public void theFailingProviderIsRegisteredButCannotBeObtained() throws Exception {
        Bundle failing = Fixtures.installAndStart(context, "failing");

        ServiceReference<?> ref = Await.value("the failing provider's service", () -> java.util.Optional
                .ofNullable(failing.getRegisteredServices()).filter(refs -> refs.length > 0).map(refs -> refs[0]));
        assertEquals(Bundle.ACTIVE, failing.getState());
        assertNull("its activation throws, so DS hands out nothing", context.getService(ref));
    }

    @Test
    public void theSlowProviderBlocksUntilInterrupted() throws Exception {
        Fixtures.installAndStart(context, "slow");
        DelegationTokenProvider slow = Providers.await(context, "slow");
        AtomicReference<Thread> worker = new AtomicReference<>();
        CompletableFuture<Object> obtain = CompletableFuture.supplyAsync(() -> {
            worker.set(Thread.currentThread());
            try {
                return slow.obtainDelegationTokens();
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });

        Thread.sleep(300);
        assertFalse("still blocked", obtain.isDone());
        Await.until("the worker thread", () -> worker.get() != null);
        worker.get().interrupt();

        ExecutionException ended = assertThrows(ExecutionException.class, () -> obtain.get(5, TimeUnit.SECONDS));
        assertTrue(String.valueOf(ended.getCause()), ended.getCause() instanceof InterruptedException);
    }

    @Test
    public void theUnresolvableBundleStaysInstalled() throws Exception {
        Bundle unresolvable = Fixtures.install(context, "unresolvable");

        BundleException refused = assertThrows(BundleException.class, unresolvable::start);
        assertTrue(refused.getMessage(), refused.getMessage().contains("org.example.missing"));
        assertEquals(Bundle.INSTALLED, unresolvable.getState());
        assertNull(unresolvable.getRegisteredServices());
    }

    @Test
    public void aCorruptJarIsRefusedAndAPlainJarIsNoBundleOfOurs() throws Exception {
        BundleException corrupt = assertThrows(BundleException.class, () -> Fixtures.install(context, "corrupt"));
        assertNotNull(corrupt.getMessage());

        Bundle plain = Fixtures.install(context, "not-a-bundle");
        assertNull("a plain jar has no symbolic name", plain.getSymbolicName());
        plain.start();
        assertNull("and registers nothing", plain.getRegisteredServices());
        plain.uninstall();
    }
}
