package io.tokenhost.hbase.testing;

import io.tokenhost.api.ConfiguredComponent;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A configured component under test in a real framework, reporting to {@link RecordedProblems}: started
 * before each test, deactivated and the framework closed after it.
 */
public abstract class ComponentInFramework<C extends ConfiguredComponent<?>> {

    @TempDir
    protected Path dir;

    protected Framework framework;
    protected final RecordedProblems problems = new RecordedProblems();
    protected final C component;

    protected ComponentInFramework(C component) {
        this.component = component;
    }

    @BeforeEach
    void startFramework() throws Exception {
        framework = Framework.start(dir.resolve("framework"));
        component.bindProblems(problems);
    }

    @AfterEach
    void stopFramework() throws Exception {
        component.deactivate();
        framework.close();
    }
}
