package io.tokenhost.host.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.UserPrincipal;

import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeerCheckTest {

    @TempDir
    Path dir;

    /** A real connection's SO_PEERCRED: this process's user. */
    private UnixDomainPrincipal realPeer() throws Exception {
        Path socket = dir.resolve("s");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(socket));
                    SocketChannel accepted = server.accept()) {
                return accepted.getOption(ExtendedSocketOptions.SO_PEERCRED);
            }
        }
    }

    private record Named(String name) implements UserPrincipal, GroupPrincipal {
        @Override
        public String getName() {
            return name;
        }
    }

    @Test
    void allowsTheOwnerOfTheInstallation() throws Exception {
        // Files we create belong to this process's user, like an installation we unpacked.
        UserPrincipal owner = Files.getOwner(Files.createFile(dir.resolve("home")));

        assertThat(new PeerCheck(owner).allows(realPeer())).isTrue();
    }

    @Test
    void refusesAnyOtherUserEvenWithTheSameName() throws Exception {
        UnixDomainPrincipal peer = realPeer();
        UserPrincipal sameNameOtherKind = new Named(peer.user().getName());

        assertThat(new PeerCheck(sameNameOtherKind).allows(peer)).isFalse();
        assertThat(new PeerCheck(peer.user()).allows(new UnixDomainPrincipal(new Named("mallory"), new Named("g"))))
                .isFalse();
    }

    @Test
    void refusesAMissingPeer() throws Exception {
        assertThat(new PeerCheck(realPeer().user()).allows(null)).isFalse();
    }

    @Test
    void rootIsNotExemptWhenItIsNotTheOwner() throws Exception {
        UserPrincipal nobody = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        UnixDomainPrincipal peer = realPeer();
        org.junit.jupiter.api.Assumptions.assumeFalse(peer.user().equals(nobody));

        assertThat(new PeerCheck(nobody).allows(peer)).isFalse();
    }
}
