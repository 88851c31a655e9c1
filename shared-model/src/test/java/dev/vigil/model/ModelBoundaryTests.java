package dev.vigil.model;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ModelBoundaryTests {

    @Test
    void theSharedModelDependsOnNeitherSpringNorKafka() {
        noClasses().should().dependOnClassesThat()
                .resideInAnyPackage("org.springframework..", "org.apache.kafka..")
                .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("dev.vigil.model"));
    }
}
