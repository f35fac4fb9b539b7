package org.rigdesk.app.rigs;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import org.rigdesk.api.client.RigdeskApi;

/**
 * The window's one API, pointed at the rig chosen in the sidebar: every page keeps its client and
 * talks to whichever rig is selected. Closing it closes the rig it started on only (the others
 * belong to the fleet's watches).
 */
public final class RigSwitch {

    private final RigdeskApi home;
    private volatile RigdeskApi current;
    private volatile String name;
    private final RigdeskApi api;

    public RigSwitch(String name, RigdeskApi home) {
        this.home = home;
        this.current = home;
        this.name = name;
        this.api = (RigdeskApi) Proxy.newProxyInstance(RigdeskApi.class.getClassLoader(),
                new Class<?>[] {RigdeskApi.class}, (proxy, method, args) -> {
                    RigdeskApi target = method.getName().equals("close") ? home : current;
                    try {
                        return method.invoke(target, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    public RigdeskApi api() {
        return api;
    }

    /** Points the window at another rig ({@code rig}: its API; the home rig's own when null). */
    public void use(String rigName, RigdeskApi rig) {
        current = rig == null ? home : rig;
        name = rigName;
    }

    public String rig() {
        return name;
    }
}
