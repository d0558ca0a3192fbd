package io.tokenhost.hbase.testing;

import io.tokenhost.api.ConfigurationProblems;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** What a component reported to the host's configuration problems, one line per report. */
public final class RecordedProblems implements ConfigurationProblems {

    public final List<String> reports = new CopyOnWriteArrayList<>();

    @Override
    public void refused(String pid, String problem, boolean previousKept) {
        reports.add("refused " + pid + ": " + problem + (previousKept ? " (previous kept)" : " (not started)"));
    }

    @Override
    public void accepted(String pid) {
        reports.add("accepted " + pid);
    }
}
