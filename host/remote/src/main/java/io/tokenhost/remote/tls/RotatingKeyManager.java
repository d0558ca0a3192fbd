package io.tokenhost.remote.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * This node's key and certificate chain, replaceable while it runs: every TLS handshake after
 * {@link #update} presents the new ones; connections made before keep theirs. Each update is a new
 * generation under its own alias, and the TLS engine asks for a chain and a key by the alias it
 * chose, so one handshake never pairs one generation's certificate with another's key (gRPC's
 * {@code AdvancedTlsX509KeyManager} serves both under one fixed alias and could, during a swap).
 */
public final class RotatingKeyManager extends X509ExtendedKeyManager {

    private record Generation(String alias, PrivateKey key, X509Certificate[] chain) {
    }

    private long generations;
    private volatile Generation current;
    private volatile Generation previous;

    public RotatingKeyManager(TlsMaterial material) {
        update(material);
    }

    /** From the next handshake on, present this key and chain. */
    public synchronized void update(TlsMaterial material) {
        previous = current;
        current = new Generation("tokenhost-" + ++generations, material.key(), material.chain().clone());
    }

    private Generation generation(String alias) {
        Generation now = current;
        if (now.alias.equals(alias)) {
            return now;
        }
        Generation before = previous;
        return before != null && before.alias.equals(alias) ? before : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        Generation g = generation(alias);
        return g == null ? null : g.key;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        Generation g = generation(alias);
        return g == null ? null : g.chain.clone();
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return new String[] {current.alias};
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        return current.alias;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return current.alias;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return new String[] {current.alias};
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return current.alias;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return current.alias;
    }
}
