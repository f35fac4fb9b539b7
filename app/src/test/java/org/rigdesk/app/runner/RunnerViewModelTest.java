package org.rigdesk.app.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rigdesk.api.wire.Problem;
import org.rigdesk.app.ui.Dialogs;
import org.rigdesk.app.testing.InMemoryRigdesk;

/** The Runner page's model: the form is checked before anything is sent, then the daemon's word is shown. */
class RunnerViewModelTest {

    @Test
    void anInvalidFormSendsNothingAndSaysWhatIsWrong() {
        InMemoryRigdesk api = new InMemoryRigdesk();
        RunnerViewModel model = new RunnerViewModel(api, Runnable::run, Runnable::run, Dialogs.YES);
        model.urlProperty().set("github.com/octo");
        model.tokenProperty().set("ghp_ has spaces");
        assertFalse(model.register());
        assertTrue(model.problemProperty().get().contains("https://github.com/ORG"), model.problemProperty().get());
        assertTrue(model.problemProperty().get().contains("paste it again"), model.problemProperty().get());
        assertFalse(model.addLabel("no spaces allowed"));
        assertTrue(api.calls.isEmpty(), api.calls.toString());
    }

    @Test
    void registeringSendsTheFormAndForgetsTheToken() {
        InMemoryRigdesk api = new InMemoryRigdesk();
        RunnerViewModel model = new RunnerViewModel(api, Runnable::run, Runnable::run, Dialogs.YES);
        model.urlProperty().set("https://github.com/octo/gpu-ci");
        model.tokenProperty().set("ghp_0123456789");
        assertTrue(model.addLabel("whisper"));
        assertTrue(model.addLabel("whisper"), "a label given twice is kept once");

        assertTrue(model.register());

        assertEquals(List.of("register https://github.com/octo/gpu-ci labels=[whisper]"), api.calls);
        assertTrue(model.statusProperty().get().registered());
        assertEquals("", model.tokenProperty().get(), "the window keeps no copy of the token");
        model.setPaused(true);
        model.remove();
        assertEquals(List.of("register https://github.com/octo/gpu-ci labels=[whisper]", "pause", "remove"), api.calls);
        assertFalse(model.statusProperty().get().registered());
    }

    @Test
    void anAllowListGoesWithTheRegistrationAndAnEmptyOneIsRefusedHere() {
        InMemoryRigdesk api = new InMemoryRigdesk();
        RunnerViewModel model = new RunnerViewModel(api, Runnable::run, Runnable::run, Dialogs.YES);
        model.urlProperty().set("https://github.com/octo/gpu-ci");
        model.tokenProperty().set("ghp_0123456789");
        model.egressProperty().set("allow-list");
        assertFalse(model.register());
        assertTrue(model.problemProperty().get().contains("at least one host name"), model.problemProperty().get());
        assertTrue(api.calls.isEmpty(), "nothing was sent");

        model.egressAllowProperty().set("github.com\n\n  *.githubusercontent.com \n");
        assertTrue(model.register());
        assertEquals("allow-list", api.lastRegistration.egress());
        assertEquals(List.of("github.com", "*.githubusercontent.com"), api.lastRegistration.egressAllow());
    }

    @Test
    void aGitHubAppNeedsItsIdAndAReadableKeyAndGoesWithoutAToken(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        InMemoryRigdesk api = new InMemoryRigdesk();
        RunnerViewModel model = new RunnerViewModel(api, Runnable::run, Runnable::run, Dialogs.YES);
        model.urlProperty().set("https://github.com/octo");
        model.appIdProperty().set("913742");
        assertFalse(model.register());
        assertTrue(model.problemProperty().get().contains("its private key file"), model.problemProperty().get());
        model.appKeyFileProperty().set(dir.resolve("missing.pem").toString());
        assertFalse(model.register());
        assertTrue(model.problemProperty().get().contains("Cannot read the App's key file"), model.problemProperty().get());
        assertTrue(api.calls.isEmpty(), "nothing was sent");

        java.nio.file.Path key = java.nio.file.Files.writeString(dir.resolve("app.pem"), "-----BEGIN RSA PRIVATE KEY-----\n");
        model.appKeyFileProperty().set(key.toString());
        assertTrue(model.register());
        assertEquals("913742", api.lastRegistration.app().appId());
        assertEquals("-----BEGIN RSA PRIVATE KEY-----\n", api.lastRegistration.app().privateKeyPem());
        assertEquals(null, api.lastRegistration.token(), "an App registration carries no token");
    }

    @Test
    void gitHubsRefusalIsShownWithItsRemedy() {
        InMemoryRigdesk api = new InMemoryRigdesk();
        api.refuseNext = Problem.of(422, "github-refused", "GitHub refused the token", "GitHub answered 401: Bad credentials",
                "Create a fine-grained token with Administration: write on the repository.");
        RunnerViewModel model = new RunnerViewModel(api, Runnable::run, Runnable::run, Dialogs.YES);
        model.urlProperty().set("https://github.com/octo/gpu-ci");
        model.tokenProperty().set("ghp_expired");
        model.register();
        assertTrue(model.problemProperty().get().contains("Bad credentials"), model.problemProperty().get());
        assertEquals("Create a fine-grained token with Administration: write on the repository.",
                model.remedyProperty().get());
        assertFalse(model.statusProperty().get().registered());
    }

    @Test
    void removingTheRegistrationAsksFirst() {
        InMemoryRigdesk api = new InMemoryRigdesk();
        boolean[] answer = {false};
        RunnerViewModel model = new RunnerViewModel(api, Runnable::run, Runnable::run, Dialogs.answering(question -> {
            assertEquals("Remove the runner registration?", question.question());
            return answer[0];
        }, null));
        model.removeRegistration();
        assertTrue(api.calls.isEmpty(), api.calls.toString());
        answer[0] = true;
        model.removeRegistration();
        assertEquals(List.of("remove"), api.calls);
    }
}
