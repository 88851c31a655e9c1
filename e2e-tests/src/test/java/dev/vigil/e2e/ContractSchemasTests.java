package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.vigil.model.Alert;
import dev.vigil.model.AlertStatus;
import dev.vigil.model.JobKey;
import dev.vigil.model.Json;
import dev.vigil.model.Rules;
import dev.vigil.model.Severity;
import dev.vigil.model.Source;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JSON Schemas of contracts/ accept what the model writes and refuse what breaks them. */
class ContractSchemasTests {

    private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            builder -> builder.schemaMappers(mappers -> mappers.mapPrefix("https://vigil.dev/schemas/",
                    TopicContract.CONTRACTS.resolve("schemas").toUri().toString())));
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void anAlertAsTheModelWritesItIsValidAndABrokenOneIsNot() throws Exception {
        JsonSchema schema = factory.getSchema(TopicContract.CONTRACTS.resolve("schemas/alert.schema.json").toUri());
        JobKey job = new JobKey("demo", "3723707", "WIN7");
        Alert alert = new Alert(Alert.fingerprint(Rules.FAILED_BACKUP, job), Rules.FAILED_BACKUP, Severity.CRITICAL,
                AlertStatus.FIRING, job, Source.XSIBACKUP, "Backup WIN7 of account 3723707 failed", Map.of("a", "b"),
                Instant.parse("2026-11-22T01:00:00Z"), null, "e-1");
        assertThat(schema.validate(json.readTree(Json.write(alert)))).isEmpty();

        String broken = new String(Json.write(alert)).replace("\"FIRING\"", "\"BURNING\"")
                .replace("\"account\":\"3723707\",", "");
        assertThat(schema.validate(json.readTree(broken))).extracting(Object::toString)
                .anySatisfy(m -> assertThat(m).contains("status"))
                .anySatisfy(m -> assertThat(m).contains("account"));
    }
}
