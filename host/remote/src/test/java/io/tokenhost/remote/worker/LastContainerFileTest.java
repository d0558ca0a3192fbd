package io.tokenhost.remote.worker;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tokenhost.api.distribution.TokenContainer;
import io.tokenhost.remote.worker.LastContainerFile.Saved;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The worker's saved container: written owner-only and read back; a file that cannot be trusted is
 * moved aside with one ERROR and never used; at start only what is still valid is restored.
 */
class LastContainerFileTest {

    private static final Instant NOW = Instant.parse("2026-11-28T09:00:00Z");
    private static final String SECRET = "SECRET-WORKER-TOKEN";
    private static final long EPOCH = 0x1234_5678_9abc_def0L;

    @TempDir
    Path home;
    private Path file;
    private LastContainerFile saved;
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    @BeforeEach
    void setUp() {
        file = home.resolve("data/worker/last-container");
        saved = new LastContainerFile(file, Clock.fixed(NOW, ZoneOffset.UTC));
        logs.start();
        root.addAppender(logs);
    }

    @AfterEach
    void tearDown() {
        root.detachAppender(logs);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** hdfs valid for another 10 minutes, s3 expired a minute ago, kafka without a valid-until. */
    private static TokenContainer sample(long version) {
        return TokenContainer.of(version, Map.of("hdfs", bytes(SECRET + "-hdfs"), "s3", bytes(SECRET + "-s3"),
                "kafka", bytes(SECRET + "-kafka")), Map.of("hdfs", NOW.plus(Duration.ofMinutes(10)),
                "s3", NOW.minus(Duration.ofMinutes(1))));
    }

    private List<String> errors() {
        return logs.list.stream().filter(e -> e.getLevel() == Level.ERROR).map(ILoggingEvent::getFormattedMessage).toList();
    }

    private List<Path> asideFiles() throws IOException {
        try (Stream<Path> files = Files.list(file.getParent())) {
            return files.filter(p -> p.getFileName().toString().startsWith("last-container.corrupt-")).toList();
        }
    }

    @Test
    void roundTripKeepsContainerEpochAndTimeOwnerOnly() throws Exception {
        saved.save(EPOCH, sample(7));

        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(file.getParent())).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        Saved read = saved.read().orElseThrow();
        assertThat(read.container()).isEqualTo(sample(7));
        assertThat(read.managerEpoch()).isEqualTo(EPOCH);
        assertThat(read.written()).isEqualTo(NOW);
        assertThat(read.toString()).doesNotContain(SECRET);
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertThat(files).as("no temporary file left").containsExactly(file);
        }
    }

    @Test
    void aNewerSaveReplacesTheOldOneEvenWithALowerVersionAndNarrowsALooseDirectory() throws Exception {
        Files.createDirectories(file.getParent());
        Files.setPosixFilePermissions(file.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
        saved.save(EPOCH, sample(40));
        saved.save(EPOCH + 1, TokenContainer.of(1, Map.of("hdfs", bytes("restarted"))));

        Saved read = saved.read().orElseThrow();
        assertThat(read.container().version()).isEqualTo(1);
        assertThat(read.managerEpoch()).isEqualTo(EPOCH + 1);
        assertThat(Files.getPosixFilePermissions(file.getParent())).isEqualTo(PosixFilePermissions.fromString("rwx------"));
    }

    @Test
    void noFileMeansNothingRestoredAndNoError() {
        assertThat(saved.read()).isEmpty();
        assertThat(SavedContainerRestore.restore(saved, NOW, Duration.ofHours(1))).isEmpty();
        assertThat(errors()).isEmpty();
    }

    @Test
    void aFailedSaveIsLoggedOnceWithoutTokenBytes() throws Exception {
        Files.createDirectories(file.getParent().getParent());
        Files.writeString(file.getParent(), "a file where the directory should be");
        saved.save(EPOCH, sample(1));
        saved.save(EPOCH, sample(2));
        assertThat(errors()).singleElement().asString().contains("Cannot save container version 1", file.toString())
                .doesNotContain(SECRET);
    }

    @Test
    void aCorruptFileIsMovedAsideOwnerOnlyWithOneErrorAndNothingIsRestored() throws Exception {
        saved.save(EPOCH, sample(7));
        byte[] content = Files.readAllBytes(file);
        content[content.length / 2] ^= 0x40;
        Files.write(file, content);

        assertRefused("checksum mismatch");
    }

    @Test
    void aTruncatedFileIsMovedAside() throws Exception {
        saved.save(EPOCH, sample(7));
        byte[] content = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(content, content.length - 10));
        assertRefused("checksum mismatch (corrupt or truncated)");

        Files.write(file, Arrays.copyOf(content, 12));
        assertRefused("shorter than the smallest saved container");
    }

    @Test
    void aFileFromANewerTokenhostIsMovedAside() throws Exception {
        saved.save(EPOCH, sample(7));
        byte[] content = Files.readAllBytes(file);
        content[4] = 3;
        Files.write(file, content);
        assertRefused("file format 3; this host reads 2 (written by a newer Tokenhost?)");
    }

    @Test
    void theFenceRoundTripsAndAFormat1FileReadsWithoutOne() throws Exception {
        saved.save(EPOCH, 12, sample(7));
        assertThat(saved.read().orElseThrow().fence()).isEqualTo(12);
        byte[] v2 = Files.readAllBytes(file);
        // the same file in format 1: no fence field
        ByteBuffer v1 = ByteBuffer.allocate(v2.length - 8);
        v1.put(v2, 0, 21).put(v2, 29, v2.length - 29 - 4);
        v1.put(4, (byte) 1);
        Files.write(file, withCrc(Arrays.copyOf(v1.array(), v1.capacity())));
        LastContainerFile.Saved read = saved.read().orElseThrow();
        assertThat(read.fence()).isZero();
        assertThat(read.managerEpoch()).isEqualTo(EPOCH);
        assertThat(read.container()).isEqualTo(sample(7));
    }

    @Test
    void aContainerInAFutureCodecFormatIsMovedAsideNamingIt() throws Exception {
        saved.save(EPOCH, sample(7));
        byte[] content = Files.readAllBytes(file);
        content[33 + 4] = 3; // the codec's format byte: after the file header (33) and the codec's magic (4)
        CRC32C inner = new CRC32C(); // the container's own checksum, so that the codec reaches its format byte
        inner.update(content, 33, content.length - 8 - 33);
        ByteBuffer.wrap(content).putInt(content.length - 8, (int) inner.getValue());
        Files.write(file, withCrc(content));
        assertRefused("unsupported container format version 3");
    }

    @Test
    void aLengthThatDoesNotMatchIsRefusedWithoutAllocatingIt() throws Exception {
        saved.save(EPOCH, sample(7));
        byte[] content = Files.readAllBytes(file);
        ByteBuffer.wrap(content).putInt(29, Integer.MAX_VALUE);
        Files.write(file, withCrc(content));
        assertRefused("container length 2147483647 does not match");
    }

    @Test
    void garbageIsMovedAside() throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "this is not a saved container at all, it is just text");
        assertRefused("bad magic");
    }

    /**
     * The refusal names the length found and the bytes that actually follow; a file of exactly the
     * smallest size is checked (checksum), not called truncated. Kills: the "bytes that follow"
     * arithmetic ({@code bodyLength - header} made {@code +}), the minimum-size check's boundary
     * ({@code <} made {@code <=}).
     */
    @Test
    void refusalsNameTheBytesThatFollowAndTheSmallestFileIsNotCalledTruncated() throws Exception {
        saved.save(EPOCH, sample(7));
        byte[] content = Files.readAllBytes(file);
        ByteBuffer.wrap(content).putInt(29, 5);
        Files.write(file, withCrc(content));
        assertRefused("container length 5 does not match the " + (content.length - 4 - 33) + " bytes that follow");

        ByteBuffer smallest = ByteBuffer.allocate(4 + 1 + 8 + 8 + 4 + 4); // a format-1 header and a checksum
        smallest.putInt(0x54484C43).put((byte) 1);
        Files.write(file, smallest.array());
        assertRefused("checksum mismatch");
    }

    /**
     * Files refused within the same second are all kept aside, numbered -2, -3, never replacing an
     * earlier one. Kills: the numbering's {@code n++} made {@code n--}.
     */
    @Test
    void filesRefusedInTheSameSecondAreAllKeptAsideNumbered() throws Exception {
        for (int i = 0; i < 3; i++) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, "garbage that is long enough to be read, number " + i);
            assertRefused("bad magic");
        }
        List<String> names = asideFiles().stream().map(p -> p.getFileName().toString()).sorted().toList();
        assertThat(names).hasSize(3);
        assertThat(names.get(1)).isEqualTo(names.get(0) + "-2");
        assertThat(names.get(2)).isEqualTo(names.get(0) + "-3");
    }

    /**
     * A save that works again after failing says so at INFO, once; the next failure is an ERROR again.
     * Kills: the {@code if (failing)} of the recovery line negated, {@code path()} returning null,
     * {@code Saved.toString} emptied.
     */
    @Test
    void aSaveThatWorksAgainSaysSoAndTheNextFailureIsAnErrorAgain() throws Exception {
        assertThat(saved.path()).isEqualTo(file.toAbsolutePath());
        Files.createDirectories(file.getParent().getParent());
        Files.writeString(file.getParent(), "a file where the directory should be");
        saved.save(EPOCH, sample(1));
        Files.delete(file.getParent());
        saved.save(EPOCH, sample(2));
        saved.save(EPOCH, sample(3));
        List<String> infos = logs.list.stream().filter(e -> e.getLevel() == Level.INFO && e.getLoggerName()
                .equals(LastContainerFile.class.getName())).map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(infos).containsExactly("Saved container version 2 to " + file.toAbsolutePath() + " again");
        assertThat(saved.read().orElseThrow().toString()).contains("written " + NOW).doesNotContain(SECRET);

        Files.delete(file);
        Files.delete(file.getParent());
        Files.writeString(file.getParent(), "a file where the directory should be");
        saved.save(EPOCH, sample(4));
        assertThat(errors()).hasSize(2);
        assertThat(errors().get(1)).contains("Cannot save container version 4");
    }

    private void assertRefused(String reason) throws IOException {
        int before = asideFiles().size();
        int errorsBefore = errors().size();

        assertThat(SavedContainerRestore.restore(saved, NOW, Duration.ofHours(1))).isEmpty();

        assertThat(Files.exists(file)).as("moved away").isFalse();
        List<Path> aside = asideFiles();
        assertThat(aside).hasSize(before + 1);
        for (Path p : aside) {
            assertThat(Files.getPosixFilePermissions(p)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        }
        assertThat(errors()).hasSize(errorsBefore + 1);
        assertThat(errors().get(errorsBefore)).contains(file.toString(), reason, "last-container.corrupt-",
                "starts without tokens").doesNotContain(SECRET);
        assertThat(saved.read()).as("nothing left to read").isEmpty();
    }

    @Test
    void restoreDeliversOnlyValidTokensAndThoseWithoutExpiryFromAFreshFile() {
        saved.save(EPOCH, sample(7));

        Optional<TokenContainer> restored = SavedContainerRestore.restore(saved, NOW.plusSeconds(30), Duration.ofHours(1));

        TokenContainer container = restored.orElseThrow();
        assertThat(container.version()).isEqualTo(7);
        assertThat(container.services()).containsExactly("hdfs", "kafka");
        assertThat(container.validUntil("hdfs")).contains(NOW.plus(Duration.ofMinutes(10)));
        assertThat(container.tokens("kafka")).hasValueSatisfying(b -> assertThat(b).isEqualTo(bytes(SECRET + "-kafka")));
        assertThat(logs.list).anySatisfy(e -> assertThat(e.getFormattedMessage())
                .contains("restoring [hdfs, kafka]", "dropped as expired: [s3 (at 2026-11-28T08:59:00Z)]", "version 7"));
        assertThat(logs.list).allSatisfy(e -> assertThat(e.getFormattedMessage()).doesNotContain(SECRET));
    }

    @Test
    void tokensWithoutExpiryFromAnOldFileAreNotRestored() {
        saved.save(EPOCH, sample(7));

        TokenContainer container = SavedContainerRestore.restore(saved, NOW.plus(Duration.ofMinutes(5)),
                Duration.ofMinutes(2)).orElseThrow();

        assertThat(container.services()).containsExactly("hdfs");
        assertThat(logs.list).anySatisfy(e -> assertThat(e.getFormattedMessage())
                .contains("dropped, no valid-until and the file is older than 2m: [kafka]"));
    }

    @Test
    void whenEverythingExpiredNothingIsRestoredAndTheFileStays() {
        saved.save(EPOCH, sample(7));

        assertThat(SavedContainerRestore.restore(saved, NOW.plus(Duration.ofHours(2)), Duration.ofHours(1))).isEmpty();
        assertThat(Files.exists(file)).as("a good file is not moved aside").isTrue();
        assertThat(errors()).isEmpty();
    }

    /** Recomputes the trailing CRC so that the test reaches the parser behind the checksum. */
    private static byte[] withCrc(byte[] content) {
        CRC32C crc = new CRC32C();
        crc.update(content, 0, content.length - 4);
        ByteBuffer.wrap(content).putInt(content.length - 4, (int) crc.getValue());
        return content;
    }
}
