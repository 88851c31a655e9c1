package dev.vigil.local;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.schema.Schema;
import com.unboundid.ldif.LDIFReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.Objects;

/**
 * A real LDAP server over TCP (UnboundID in-memory directory) with the stoney schema merged into the standard
 * one, loaded from an LDIF file on the classpath.
 */
public final class DemoDirectory implements AutoCloseable {

    public static final String BASE_DN = "dc=stoney-cloud,dc=org";
    public static final String SCHEMA = "/ldap/stoney-schema.ldif";
    public static final String DEMO_DATA = "/ldap/demo-directory.ldif";

    private final InMemoryDirectoryServer server;

    private DemoDirectory(InMemoryDirectoryServer server) {
        this.server = server;
    }

    /** Starts a directory on {@code port} (0 picks a free one) with the entries of the given LDIF resource. */
    public static DemoDirectory start(int port, String ldifResource) {
        return start(port, ldifResource, config -> { });
    }

    /**
     * As {@link #start(int, String)}, with the server's configuration tuned first (a size limit like OpenLDAP's 500,
     * bind credentials), for tests of how Vigil copes with a real directory's limits.
     */
    public static DemoDirectory start(int port, String ldifResource,
                                      java.util.function.Consumer<InMemoryDirectoryServerConfig> tune) {
        try {
            InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE_DN);
            tune.accept(config);
            config.setSchema(Schema.mergeSchemas(Schema.getDefaultStandardSchema(), readSchema()));
            config.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap",
                    InetAddress.getLoopbackAddress(), port, null));
            InMemoryDirectoryServer server = new InMemoryDirectoryServer(config);
            try (InputStream ldif = resource(ldifResource)) {
                server.importFromLDIF(true, new LDIFReader(ldif));
            }
            server.startListening();
            return new DemoDirectory(server);
        } catch (LDAPException e) {
            throw new IllegalStateException("cannot start the LDAP directory: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return server.getListenPort();
    }

    public String url() {
        return "ldap://127.0.0.1:" + port();
    }

    /** For tests that change the directory while the system runs. */
    public InMemoryDirectoryServer server() {
        return server;
    }

    @Override
    public void close() {
        server.shutDown(true);
    }

    private static Schema readSchema() throws IOException, LDAPException {
        try (InputStream in = resource(SCHEMA)) {
            return Schema.getSchema(in);
        } catch (com.unboundid.ldif.LDIFException e) {
            throw new IllegalStateException("the stoney schema is not valid LDIF", e);
        }
    }

    private static InputStream resource(String name) {
        return Objects.requireNonNull(DemoDirectory.class.getResourceAsStream(name), "missing resource " + name);
    }
}
