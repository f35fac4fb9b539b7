package org.rigdesk.daemon.gpu;

/** What a PCI function is, from its class code: decides whether it moves with the GPU. */
public enum DeviceRole {
    GPU("gpu"), AUDIO("audio"), USB("usb"), SERIAL_BUS("serial-bus"), BRIDGE("bridge"), OTHER("other");

    private final String wire;

    DeviceRole(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** {@code pciClass} is the six hex digits of the class register, e.g. 030000. */
    public static DeviceRole of(String pciClass) {
        if (pciClass == null || pciClass.length() < 4) {
            return OTHER;
        }
        String baseSub = pciClass.substring(0, 4);
        if (baseSub.startsWith("03")) {
            return GPU;
        }
        return switch (baseSub) {
            case "0403", "0401" -> AUDIO;
            case "0c03" -> USB;
            case "0c80" -> SERIAL_BUS;
            case "0600", "0604" -> BRIDGE;
            default -> OTHER;
        };
    }

    /** Display-class devices that make a GPU by default: VGA 0x0300, 3D 0x0302, display 0x0380. */
    public static boolean isDisplay(String pciClass) {
        return pciClass != null && (pciClass.startsWith("0300") || pciClass.startsWith("0302")
                || pciClass.startsWith("0380"));
    }

    /** Endpoint functions that travel with a card: its GPU, HDMI audio, USB-C controller and UCSI. */
    public boolean travelsWithCard() {
        return this == GPU || this == AUDIO || this == USB || this == SERIAL_BUS;
    }
}
