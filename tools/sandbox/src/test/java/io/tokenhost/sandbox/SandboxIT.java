package io.tokenhost.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Runs the non-interactive sandbox as a user would (its own JVM) for two renewals. */
class SandboxIT {

    /** A line of the sandbox's own. */
    private static final Pattern SANDBOX_LINE = Pattern.compile("^\\[sandbox \\d\\d:\\d\\d:\\d\\d\\] .*");
    /** A word a logger writes for its level (log4j, logback, java.util.logging). */
    private static final Pattern LEVEL = Pattern.compile("\\b(TRACE|DEBUG|INFO|WARN|WARNING|ERROR|SEVERE|FATAL)\\b");

    @Test
    void nonInteractiveSandboxObtainsRenewsAndReads() throws Exception {
        Path dir = Path.of(System.getProperty("tokenhost.sandbox.dir", "target/sandbox"));
        Path out = Files.createDirectories(dir).resolve("sandbox-it.out");
        Path work = dir.resolve("it-run").toAbsolutePath();
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                "-Dtokenhost.sandbox.artifacts=" + dir.resolve("artifacts").toAbsolutePath(),
                Sandbox.class.getName(), "--renewals", "2", "--renew-interval", "10",
                "--work", work.toString());
        // The terminal: standard output and error, as a user sees them.
        Process sandbox = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            assertThat(sandbox.waitFor(240, TimeUnit.SECONDS)).as("sandbox finished").isTrue();
        } finally {
            sandbox.descendants().forEach(ProcessHandle::destroyForcibly);
            sandbox.destroyForcibly();
        }
        String output = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(sandbox.exitValue()).as("exit status; output:\n%s", output).isZero();
        assertThat(output)
                .contains("without any token or Kerberos ticket: refused")
                .contains("tokens obtained")
                .contains("tokens renewed (#2)")
                .containsPattern("token-only Hadoop clients need: HADOOP_CONF_DIR=\\S+/hadoop-conf \\(core-site.xml, hdfs-site.xml\\), "
                        + "-Djava.security.krb5.conf=\\S+krb5\\S*\\.conf, HADOOP_TOKEN_FILE_LOCATION=\\S+/tokens/hadoop.token; "
                        + "long-running ones also -javaagent:\\S+/clients/tokenhost-hadoop-agent.jar")
                .contains("reader: read /user/client/hello.txt: hello from secure HDFS")
                .contains("hadoopfs  VALID")
                .contains("0 failed")
                .doesNotContain("FAILED");

        List<String> lines = output.lines().filter(line -> !line.isBlank()).toList();
        assertThat(lines.get(lines.size() - 1)).as("the last line; output:\n%s", output)
                .matches("\\[sandbox \\d\\d:\\d\\d:\\d\\d\\] OK");
        assertOnlySandboxLines(lines, output);

        Matcher printed = Pattern.compile("(?m)^\\[sandbox [0-9:]+\\] mini cluster logs: (\\S+)$").matcher(output);
        assertThat(printed.find()).as("the mini cluster log's path on the terminal:\n%s", output).isTrue();
        Path log = Path.of(printed.group(1));
        assertThat(log).isEqualTo(work.resolve("logs/minicluster.log")).isRegularFile();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(log.getParent()))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(log))).isEqualTo("rw-------");
        assertThat(Files.readString(log, StandardCharsets.UTF_8))
                .as("the KDC's and the cluster's logs, from start to shutdown")
                .contains("org.apache.hadoop.minikdc.MiniKdc")
                .contains("org.apache.hadoop.hdfs.MiniDFSCluster")
                .contains("org.apache.hadoop.hdfs.server.namenode.NameNode")
                .contains("Shutting down the Mini HDFS Cluster");
        Path readerLog = log.resolveSibling("reader.log");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(readerLog))).isEqualTo("rw-------");
        assertThat(output).contains(log.toString()).contains(readerLog.toString());
    }

    /**
     * Every line on the terminal is the sandbox's own: a {@code [sandbox HH:MM:SS]} line, a reader
     * JVM's {@code reader:} line it relays (indented), or the table of the {@code token:status} it
     * relays; no log record, no stack trace, no exception anywhere.
     */
    private static void assertOnlySandboxLines(List<String> lines, String output) {
        List<String> foreign = new ArrayList<>();
        boolean inStatus = false;
        for (String line : lines) {
            String checked = line;
            if (SANDBOX_LINE.matcher(line).matches()) {
                inStatus = line.endsWith("] token:status says:");
            } else if (line.startsWith("    reader: ")) {
                inStatus = false;
            } else if (inStatus && line.startsWith("SERVICE ") && line.endsWith(" LAST ERROR")) {
                checked = line.substring(0, line.length() - "LAST ERROR".length()); // the table's last column
            } else if (!(inStatus && (line.startsWith("Container version ") || line.startsWith("hadoopfs  VALID ")))) {
                foreign.add(line);
                continue;
            }
            if (LEVEL.matcher(checked).find() || line.contains("Exception") || line.contains("\tat ")
                    || line.contains("Caused by")) {
                foreign.add(line);
            }
        }
        assertThat(foreign).as("lines on the terminal that are not the sandbox's own; output:\n%s", output).isEmpty();
    }
}
