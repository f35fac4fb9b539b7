package org.rigdesk.api.wire;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One readiness check of the host (IOMMU, vfio-pci, KVM, a VMM binary).
 * {@code required} checks block GPU passthrough or VMs when they fail; the others only limit choice.
 * {@code level} says how much it matters to the owner: {@code required}, {@code recommended} (works
 * without, worse) or {@code optional}; {@code command}, when there is one, is the remedy as a
 * command line to copy (the remedy's words say the rest).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HostCheck(String id, String title, boolean ok, boolean required, String detail, String remedy,
                        String level, String command) {

    public static final String REQUIRED = "required";
    public static final String RECOMMENDED = "recommended";
    public static final String OPTIONAL = "optional";

    public HostCheck {
        if (level == null) {
            level = required ? REQUIRED : RECOMMENDED;
        }
    }

    public HostCheck(String id, String title, boolean ok, boolean required, String detail, String remedy) {
        this(id, title, ok, required, detail, remedy, null, null);
    }

    /** The same check with how much it matters and its remedy's command. */
    public HostCheck advised(String newLevel, String newCommand) {
        return new HostCheck(id, title, ok, required, detail, remedy, newLevel, ok ? null : newCommand);
    }
}
