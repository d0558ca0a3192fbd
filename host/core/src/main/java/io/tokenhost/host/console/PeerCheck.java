package io.tokenhost.host.console;

import java.nio.file.attribute.UserPrincipal;

import jdk.net.UnixDomainPrincipal;

/**
 * Who may use the console: exactly the OS user who owns the installation. Root gets no exception
 * unless root is that owner. The peer comes from {@code SO_PEERCRED}, i.e. from the kernel, not
 * from anything the client says.
 */
public record PeerCheck(UserPrincipal owner) {

    public boolean allows(UnixDomainPrincipal peer) {
        // JDK UserPrincipals from SO_PEERCRED and from Files.getOwner compare by uid.
        return peer != null && owner.equals(peer.user());
    }
}
