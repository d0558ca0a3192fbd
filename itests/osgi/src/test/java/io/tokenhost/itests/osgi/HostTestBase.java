package io.tokenhost.itests.osgi;

import io.tokenhost.api.TokenStatusView;
import io.tokenhost.itests.support.Await;
import java.time.Duration;
import javax.inject.Inject;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.BundleContext;

/**
 * What every pax-exam test shares: a fresh Felix per test method (a class may choose
 * {@code PerClass}) with the host, as {@link TokenhostOptions} sets it up, and the probe's bundle
 * context and the host's status view injected. pax-exam finds the inherited {@code @Configuration}
 * method and injects inherited fields.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public abstract class HostTestBase {

    /** Every wait in these tests: the framework runs in this JVM, so things happen within seconds. */
    static final Await AWAIT = Await.atMost(Duration.ofSeconds(15)).every(Duration.ofMillis(20));

    @Inject
    protected BundleContext context;

    @Inject
    protected TokenStatusView status;

    @Configuration
    public Option[] config() {
        return TokenhostOptions.withHost();
    }
}
