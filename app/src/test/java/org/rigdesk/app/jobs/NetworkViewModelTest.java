package org.rigdesk.app.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rigdesk.api.wire.JobState;
import org.rigdesk.api.wire.JobNetwork;
import org.rigdesk.app.ui.Dialogs;
import org.rigdesk.app.testing.InMemoryRigdesk;

/** The Network tab's model: the selected job's egress log as rows and a one-line summary. */
class NetworkViewModelTest {

    private static final JobNetwork LOG = new JobNetwork(true, "audit", "10.201.0.2", "10.201.0.1",
            List.of(new JobNetwork.Flow("203.0.113.2", 443, "tcp", "pypi.test", 40, 3_500_000)),
            List.of(new JobNetwork.Refusal("192.168.1.1", 80, "tcp", null, 2, "a private range")),
            List.of(new JobNetwork.Refusal("203.0.113.2", 443, "tcp", "pypi.test", 1)),
            List.of(new JobNetwork.Lookup("pypi.test", "A", List.of("203.0.113.2"), null),
                    new JobNetwork.Lookup("<b>gone</b>.test", "A", List.of(), "no answer from 203.0.113.53")));

    @Test
    void selectingAJobShowsWhereItWentWhatWasRefusedAndWhatItAsked() throws Exception {
        InMemoryRigdesk api = new InMemoryRigdesk().with(InMemoryRigdesk.job(1, JobState.SUCCEEDED.wire(), List.of()))
                .with(InMemoryRigdesk.job(2, JobState.SUCCEEDED.wire(), List.of()));
        api.networks.put(1L, LOG);
        JobsViewModel jobs = new JobsViewModel(api, Runnable::run, Runnable::run, Dialogs.YES);
        jobs.reload();
        jobs.selectedProperty().set(jobs.all().stream().filter(j -> j.id() == 1).findFirst().orElseThrow());
        NetworkViewModel network = jobs.network();
        assertEquals("10.201.0.2 via 10.201.0.1 · audit: 1 destination the allow-list would refuse · 1 destination, "
                + "3.3 MiB · 2 refused attempts · 2 DNS lookups",
                network.summaryProperty().get());
        assertEquals(List.of(
                new NetworkViewModel.Row("reached", "203.0.113.2", "443", "tcp", "pypi.test", "40 packets", "3.3 MiB"),
                new NetworkViewModel.Row("refused: a private range", "192.168.1.1", "80", "tcp", "–", "2 attempts", ""),
                new NetworkViewModel.Row("unlisted", "203.0.113.2", "443", "tcp", "pypi.test", "1 attempt", ""),
                new NetworkViewModel.Row("DNS A", "pypi.test", "", "", "203.0.113.2", "", ""),
                new NetworkViewModel.Row("DNS A", "<b>gone</b>.test", "", "", "no answer from 203.0.113.53", "", "")),
                network.rows());

        jobs.selectedProperty().set(jobs.all().stream().filter(j -> j.id() == 2).findFirst().orElseThrow());
        assertTrue(network.rows().isEmpty());
        assertEquals("No network: this job's VM had no network card.", network.summaryProperty().get());
        jobs.selectedProperty().set(null);
        assertEquals("", network.summaryProperty().get());
    }
}
