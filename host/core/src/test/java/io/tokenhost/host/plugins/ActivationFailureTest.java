package io.tokenhost.host.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import org.junit.jupiter.api.Test;

/** The line token:plugins shows for a component that failed to activate: its root cause, bounded. */
class ActivationFailureTest {

    @Test
    void showsTheInnermostCauseAndWhatWrappedIt() {
        Throwable root = new NoClassDefFoundError("kotlin/jvm/internal/Intrinsics");
        Throwable failure = new IllegalStateException("activate failed",
                new InvocationTargetException(new RuntimeException("init", root)));

        assertThat(ActivationFailure.describe(stackTrace(failure))).isEqualTo(
                "java.lang.NoClassDefFoundError: kotlin/jvm/internal/Intrinsics (wrapped in java.lang.IllegalStateException)");
    }

    @Test
    void anInvocationTargetExceptionWithoutMessageNamesItsCause() {
        Throwable failure = new InvocationTargetException(new NoClassDefFoundError("okhttp3/OkHttpClient"));

        assertThat(ActivationFailure.describe(stackTrace(failure))).isEqualTo(
                "java.lang.NoClassDefFoundError: okhttp3/OkHttpClient (wrapped in java.lang.reflect.InvocationTargetException)");
    }

    @Test
    void aSuppressedExceptionsCauseIsNotTheRootCause() {
        Throwable failure = new IllegalStateException("outer", new IllegalArgumentException("the real one"));
        Throwable suppressed = new RuntimeException("cleanup", new ArithmeticException("not this"));
        failure.getCause().addSuppressed(suppressed);

        assertThat(ActivationFailure.describe(stackTrace(failure)))
                .startsWith("java.lang.IllegalArgumentException: the real one").doesNotContain("not this");
    }

    @Test
    void aFailureWithoutCauseIsItsFirstLine() {
        assertThat(ActivationFailure.describe(stackTrace(new IllegalStateException("bad value"))))
                .isEqualTo("java.lang.IllegalStateException: bad value");
        assertThat(ActivationFailure.describe(null)).isEqualTo("(no reason given)");
        assertThat(ActivationFailure.describe("  ")).isEqualTo("(no reason given)");
    }

    @Test
    void isBoundedAndOneLine() {
        String failure = "java.lang.IllegalStateException: x\nCaused by: java.lang.Error: " + "word \u001b[2J".repeat(500);

        String line = ActivationFailure.describe(failure);

        assertThat(line).hasSize(ActivationFailure.MAX_LENGTH).endsWith("...").doesNotContain("\u001b");
    }

    private static String stackTrace(Throwable t) {
        StringWriter text = new StringWriter();
        t.printStackTrace(new PrintWriter(text));
        return text.toString();
    }
}
