package io.tokenhost.itests.osgi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tokenhost.api.DelegationTokenProvider;
import io.tokenhost.itests.support.Await;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.Test;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.ServiceReference;

/**
 * The bad fixtures behave as the other tests assume, checked without going through the host: so
 * a failure in the host tests points at the host, not at a fixture.
 */
@ExamReactorStrategy(PerClass.class)
public class FixtureBundlesIT extends HostTestBase {

    @Test
    public void theFailingProviderIsRegisteredButCannotBeObtained() throws Exception {
        Bundle failing = Fixtures.installAndStart(context, "failing");

        ServiceReference<?> ref = AWAIT.value("the failing provider's service", () -> Optional
                .ofNullable(failing.getRegisteredServices()).filter(refs -> refs.length > 0).map(refs -> refs[0]));
        assertThat(failing.getState()).isEqualTo(Bundle.ACTIVE);
        assertThat(context.getService(ref)).as("its activation throws, so DS hands out nothing").isNull();
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
                throw new CompletionException(e);
            }
        });

        Await.holdsFor(Duration.ofMillis(300), "the slow provider's obtain still blocked", () -> !obtain.isDone());
        AWAIT.until("the worker thread", () -> worker.get() != null);
        worker.get().interrupt();

        ExecutionException ended = catchThrowableOfType(ExecutionException.class, () -> obtain.get(5, TimeUnit.SECONDS));
        assertThat(ended).isNotNull().cause().isInstanceOf(InterruptedException.class);
    }

    @Test
    public void theUnresolvableBundleStaysInstalled() throws Exception {
        Bundle unresolvable = Fixtures.install(context, "unresolvable");

        assertThatThrownBy(unresolvable::start).isInstanceOf(BundleException.class)
                .hasMessageContaining("org.example.missing");
        assertThat(unresolvable.getState()).isEqualTo(Bundle.INSTALLED);
        assertThat(unresolvable.getRegisteredServices()).isNull();
    }

    @Test
    public void aCorruptJarIsRefusedAndAPlainJarIsNoBundleOfOurs() throws Exception {
        int bundles = context.getBundles().length;
        BundleException refused = catchThrowableOfType(BundleException.class, () -> Fixtures.install(context, "corrupt"));
        assertThat(refused).as("installing a truncated zip is refused").isNotNull()
                .hasRootCauseInstanceOf(java.io.IOException.class);
        assertThat(context.getBundle(Fixtures.uri("corrupt"))).as("nothing installed under its location").isNull();
        assertThat(context.getBundles()).as("no bundle added").hasSize(bundles);

        Bundle plain = Fixtures.install(context, "not-a-bundle");
        assertThat(plain.getSymbolicName()).as("a plain jar has no symbolic name").isNull();
        plain.start();
        assertThat(plain.getRegisteredServices()).as("and registers nothing").isNull();
        plain.uninstall();
    }
}
