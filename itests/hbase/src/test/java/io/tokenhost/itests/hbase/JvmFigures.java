package io.tokenhost.itests.hbase;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Metaspace used and class counts of another JVM after full GCs ({@code jcmd GC.run}, {@code jstat}),
 * as {@code tools/sandbox.sh --hygiene} measures them for the Hadoop bundle.
 */
record JvmFigures(long metaspaceUsedKb, long loaded, long unloaded, long bundleClassLoaders) {

    static JvmFigures measure(long pid) throws Exception {
        for (int i = 0; i < 3; i++) {
            run("jcmd", Long.toString(pid), "GC.run");
            Thread.sleep(500);
        }
        List<String> gc = run("jstat", "-gc", Long.toString(pid));
        List<String> cls = run("jstat", "-class", Long.toString(pid));
        long loaders = bundleClassLoaders(pid);
        return new JvmFigures((long) Double.parseDouble(column(gc, "MU")), (long) Double.parseDouble(column(cls, "Loaded")),
                (long) Double.parseDouble(column(cls, "Unloaded")), loaders);
    }

    /** Live Felix bundle class loaders ({@code jcmd GC.class_histogram}, which runs a full GC first). */
    static long bundleClassLoaders(long pid) throws Exception {
        long loaders = 0;
        for (String line : run("jcmd", Long.toString(pid), "GC.class_histogram")) {
            if (line.endsWith("org.apache.felix.framework.BundleWiringImpl$BundleClassLoader")) {
                loaders = Long.parseLong(line.trim().split("\\s+")[1]);
            }
        }
        return loaders;
    }

    /**
     * What may pin old bundle revisions: classes of the embedded libraries with at least {@code min}
     * live instances, and thread names (digits folded) with their counts.
     */
    static String suspects(long pid, int min) throws Exception {
        StringBuilder text = new StringBuilder("live instances >= " + min + ":\n");
        for (String line : run("jcmd", Long.toString(pid), "GC.class_histogram")) {
            String[] cols = line.trim().split("\\s+");
            if (cols.length >= 4 && cols[3].matches("(org\\.apache\\.(hadoop|zookeeper|hbase)|io\\.opentelemetry|com\\.google|org\\.apache\\.commons).*")
                    && Long.parseLong(cols[1]) >= min && Long.parseLong(cols[1]) <= 10L * min) {
                text.append("  ").append(cols[1]).append(' ').append(cols[3]).append('\n');
            }
        }
        java.util.SortedMap<String, Integer> threads = new java.util.TreeMap<>();
        for (String line : run("jcmd", Long.toString(pid), "Thread.print")) {
            if (line.startsWith("\"")) {
                threads.merge(line.substring(1, line.indexOf('"', 1)).replaceAll("[0-9]+", "N"), 1, Integer::sum);
            }
        }
        return text.append("threads: ").append(threads).toString();
    }

    double metaspaceMb() {
        return metaspaceUsedKb / 1024.0;
    }

    private static String column(List<String> lines, String name) {
        String[] header = lines.get(0).trim().split("\\s+");
        String[] values = lines.get(1).trim().split("\\s+");
        for (int i = 0; i < header.length; i++) {
            if (header[i].equals(name)) {
                return values[i];
            }
        }
        throw new IllegalStateException("no column " + name + " in " + lines);
    }

    private static List<String> run(String tool, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", tool).toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(tool + " failed: " + out);
        }
        return List.of(out.split("\n"));
    }

    @Override
    public String toString() {
        return String.format("metaspace used %.1f MB, classes loaded %d (unloaded %d so far), bundle class loaders %d",
                metaspaceMb(), loaded, unloaded, bundleClassLoaders);
    }
}
