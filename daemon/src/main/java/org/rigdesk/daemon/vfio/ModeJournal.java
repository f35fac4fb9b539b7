package org.rigdesk.daemon.vfio;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.rigdesk.api.wire.GpuMode;
import org.rigdesk.daemon.gpu.Bdf;
import org.rigdesk.daemon.store.Database;

/**
 * Rules 4 and 8: the desired mode of each card, written before the first sysfs write, so a daemon
 * killed mid-way (or a reboot) re-applies it. Keyed by BDF and checked against vendor:device,
 * because a slot can hold another card after a hardware change.
 */
public class ModeJournal {

    public record Entry(Bdf bdf, String vendorId, String deviceId, GpuMode desiredMode) {
    }

    private final Database database;

    public ModeJournal(Database database) {
        this.database = database;
    }

    public void put(Bdf bdf, String vendorId, String deviceId, GpuMode desiredMode) throws SQLException {
        database.with(connection -> {
            try (PreparedStatement upsert = connection.prepareStatement("""
                    INSERT INTO gpu_modes(bdf, vendor_id, device_id, desired_mode, updated_at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT(bdf) DO UPDATE SET vendor_id = excluded.vendor_id, device_id = excluded.device_id,
                        desired_mode = excluded.desired_mode, updated_at = excluded.updated_at""")) {
                upsert.setString(1, bdf.value());
                upsert.setString(2, vendorId);
                upsert.setString(3, deviceId);
                upsert.setString(4, desiredMode.wire());
                upsert.setString(5, Instant.now().toString());
                return upsert.executeUpdate();
            }
        });
    }

    public void remove(Bdf bdf) throws SQLException {
        database.with(connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM gpu_modes WHERE bdf = ?")) {
                delete.setString(1, bdf.value());
                return delete.executeUpdate();
            }
        });
    }

    public List<Entry> all() throws SQLException {
        return database.with(connection -> {
            List<Entry> entries = new ArrayList<>();
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT bdf, vendor_id, device_id, desired_mode FROM gpu_modes ORDER BY bdf");
                 ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    // Only the two modes a toggle asks for are ever written; a row that says anything
                    // else was not written by us and is left alone.
                    java.util.Optional<GpuMode> mode = GpuMode.of(rows.getString(4)).filter(GpuMode::requestable);
                    if (Bdf.isValid(rows.getString(1)) && mode.isPresent()) {
                        entries.add(new Entry(Bdf.parse(rows.getString(1)), rows.getString(2), rows.getString(3),
                                mode.get()));
                    }
                }
            }
            return entries;
        });
    }
}
