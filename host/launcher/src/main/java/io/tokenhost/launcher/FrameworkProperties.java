package io.tokenhost.launcher;

import java.util.HashMap;
import java.util.Map;

import org.osgi.framework.Constants;

/**
 * The Felix configuration for one installation. Tunables below can be overridden with a JVM system
 * property of the same name (e.g. {@code JAVA_OPTS=-Dds.loglevel=debug}); the paths cannot.
 */
public final class FrameworkProperties {

    public static final String PLUGINS_DIR = "tokenhost.plugins.dir";
    public static final String CONSOLE_SOCKET = "tokenhost.console.socket";

    static final String SLF4J_VERSION = "2.0.16";
    static final String OSGI_LOG_VERSION = "1.4.0";

    private FrameworkProperties() {
    }

    public static Map<String, Object> of(Home home, Mode mode) {
        Map<String, Object> p = new HashMap<>();

        // Keep the cache between starts: re-resolving every bundle on each start costs ~0.4 s.
        p.put(Constants.FRAMEWORK_STORAGE, home.frameworkCache().toString());
        p.put(Constants.FRAMEWORK_STORAGE_CLEAN, "none");
        p.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, systemPackagesExtra());
        // The host core alone at level 1 starts first; everything else, plugins installed later
        // included, at level 2 (see CoreBundles).
        p.put(Constants.FRAMEWORK_BEGINNING_STARTLEVEL, Integer.toString(CoreBundles.LEVEL));
        p.put("felix.startlevel.bundle", Integer.toString(CoreBundles.LEVEL));

        p.put(Home.PROPERTY, home.root().toString());
        p.put(PLUGINS_DIR, home.pluginsDir().toString());
        p.put(CONSOLE_SOCKET, home.consoleSocket().toString());
        p.put(HaAtStart.PROPERTY, String.valueOf(HaAtStart.configured(home.confDir())));
        // The interactive shell reads <gosh.home>/etc/gosh_profile (else one in the working directory,
        // else Gogo's own, whose `exit` is System.exit: it interrupted the shell in mid-command,
        // "gogo: InterruptedException: null"). The installation's profile makes `exit` a `stop 0`.
        p.put("gosh.home", home.root().toString());

        // FileInstall: one watcher per comma-separated directory (FileInstall.start splits
        // felix.fileinstall.dir on ','); the filter applies to both, so it admits exactly the
        // two kinds of artifact we want: plugin jars and ConfigAdmin .cfg files.
        p.put("felix.fileinstall.dir", home.pluginsDir() + "," + home.confDir());
        tunable(p, "felix.fileinstall.filter", ".*\\.(jar|cfg)");
        tunable(p, "felix.fileinstall.poll", "250");
        tunable(p, "felix.fileinstall.noInitialDelay", "true");
        // FileInstall installs, updates and uninstalls plugin jars but does not start them: it would
        // on its watcher thread, where an activator that never returns stops every later install.
        // The host's plugin starter starts them, each with a deadline (plugin.start-timeout).
        p.put("felix.fileinstall.bundles.new.start", "false");
        // conf/*.cfg is the operator's source of truth: never rewrite it from ConfigAdmin.
        tunable(p, "felix.fileinstall.enableConfigSave", "false");
        tunable(p, "felix.fileinstall.tmpdir", home.dataDir().resolve("fileinstall-tmp").toString());
        // 3 = info ("Installed ...", "Updated ..."), delivered to the LogService bridge (slf4j);
        // "jul" only matters if that service is missing: never print to stdout.
        tunable(p, "felix.fileinstall.log.level", "3");
        tunable(p, "felix.fileinstall.log.default", "jul");

        // SCR logs through the LoggerFactory bridge; this is SCR's own threshold before that.
        tunable(p, "ds.loglevel", "info");

        if (mode == Mode.HEADLESS) {
            p.put("gosh.args", "--nointeractive --noshutdown");
        }
        return p;
    }

    static String systemPackagesExtra() {
        String slf4j = ";version=" + SLF4J_VERSION;
        return String.join(",",
                "org.slf4j" + slf4j,
                "org.slf4j.event" + slf4j,
                "org.slf4j.spi" + slf4j,
                "org.slf4j.helpers" + slf4j,
                "org.osgi.service.log;version=" + OSGI_LOG_VERSION);
    }

    private static void tunable(Map<String, Object> p, String key, String defaultValue) {
        p.put(key, System.getProperty(key, defaultValue));
    }
}
