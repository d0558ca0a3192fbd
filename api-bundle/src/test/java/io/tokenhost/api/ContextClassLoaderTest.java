package io.tokenhost.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ContextClassLoaderTest {

    private final ClassLoader plugin = new URLClassLoader("plugin", new URL[0], null);
    private final ClassLoader host = new URLClassLoader("host", new URL[0], null);
    private ClassLoader original;

    @BeforeEach
    void setHostLoader() {
        original = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(host);
    }

    @AfterEach
    void restore() {
        Thread.currentThread().setContextClassLoader(original);
    }

    @Test
    void callSeesTheGivenLoaderAndReturnsItsResult() throws Exception {
        ClassLoader seen = ContextClassLoader.call(plugin, () -> Thread.currentThread().getContextClassLoader());

        assertThat(seen).isSameAs(plugin);
        assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(host);
    }

    @Test
    void callRestoresThePreviousLoaderWhenTheCodeThrows() {
        assertThatThrownBy(() -> ContextClassLoader.call(plugin, () -> {
            throw new IOException("no file system");
        })).isInstanceOf(IOException.class).hasMessage("no file system");

        assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(host);
    }

    @Test
    void runSeesTheGivenLoaderAndRestoresThePreviousOneEvenWhenItFails() {
        ClassLoader[] seen = new ClassLoader[1];
        ContextClassLoader.run(plugin, () -> seen[0] = Thread.currentThread().getContextClassLoader());
        assertThat(seen[0]).isSameAs(plugin);
        assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(host);

        assertThatThrownBy(() -> ContextClassLoader.run(plugin, () -> {
            throw new IllegalStateException("closing failed");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(host);
    }

    @Test
    void nestedCallsUnwindInOrder() throws Exception {
        ClassLoader inner = ContextClassLoader.call(plugin, () -> {
            ClassLoader nested = ContextClassLoader.call(host, () -> Thread.currentThread().getContextClassLoader());
            assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(plugin);
            return nested;
        });

        assertThat(inner).isSameAs(host);
        assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(host);
    }
}
