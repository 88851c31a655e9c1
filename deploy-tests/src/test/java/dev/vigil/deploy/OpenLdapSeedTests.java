package dev.vigil.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenLDAP of docker-compose.yml is seeded with the demo directory and docker/openldap/stoney-schema.ldif:
 * OpenLDAP's own {@code slapadd} (dry run) loads the demo entries against that schema and the schemas it ships.
 */
class OpenLdapSeedTests {

    private static final Path DEMO = Tools.ROOT.resolve("local-stack/src/main/resources/ldap/demo-directory.ldif");

    @TempDir
    Path dir;
    private Path config;

    @BeforeEach
    void configure() throws Exception {
        // the cn=config schema entry as a slapd.conf schema file: the definitions are the same text
        StringBuilder schema = new StringBuilder();
        for (String line : Files.readAllLines(Tools.ROOT.resolve("docker/openldap/stoney-schema.ldif"))) {
            if (line.startsWith("olcAttributeTypes: ")) {
                schema.append("attributetype ").append(line.substring("olcAttributeTypes: ".length())).append('\n');
            } else if (line.startsWith("olcObjectClasses: ")) {
                schema.append("objectclass ").append(line.substring("olcObjectClasses: ".length())).append('\n');
            }
        }
        Files.writeString(dir.resolve("stoney.schema"), schema);
        Files.createDirectories(dir.resolve("db"));
        config = dir.resolve("slapd.conf");
        Files.writeString(config, String.join("\n",
                "modulepath /usr/lib/ldap", "moduleload back_mdb",
                "include /etc/ldap/schema/core.schema", "include /etc/ldap/schema/cosine.schema",
                "include /etc/ldap/schema/inetorgperson.schema", "include /etc/ldap/schema/nis.schema",
                "include " + dir.resolve("stoney.schema"),
                "database mdb", "suffix \"dc=stoney-cloud,dc=org\"", "directory " + dir.resolve("db"), ""));
    }

    @Test
    void theDemoDirectoryLoadsIntoOpenLdapWithTheStoneySchema() throws Exception {
        Tools.Result loaded = slapadd(DEMO);
        assertThat(loaded.exitCode()).as(loaded.output()).isZero();
    }

    @Test
    void anAttributeTheSchemaDoesNotDefineIsRefused() throws Exception {
        Path bad = dir.resolve("bad.ldif");
        Files.writeString(bad, Files.readString(DEMO).replaceFirst("(?m)^sstBackupWarnings: (\\w+)$",
                "sstBackupWarnings: $1\nsstNoSuchAttribute: x"));
        Tools.Result loaded = slapadd(bad);
        assertThat(loaded.exitCode()).isNotZero();
        assertThat(loaded.output()).contains("sstNoSuchAttribute");
    }

    private Tools.Result slapadd(Path ldif) throws Exception {
        String slapadd = Files.isExecutable(Path.of("/usr/sbin/slapadd")) ? "/usr/sbin/slapadd" : "slapadd";
        return Tools.run(List.of(slapadd, "-u", "-f", config.toString(), "-l", ldif.toString()).toArray(String[]::new));
    }
}
