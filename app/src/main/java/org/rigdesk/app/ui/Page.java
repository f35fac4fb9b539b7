package org.rigdesk.app.ui;

import javafx.scene.Node;

/** One page of the sidebar. */
public interface Page {

    /** Short stable id: used for node ids ({@code nav-ID}, {@code page-ID}) and remembering the last page. */
    String id();

    String title();

    Node view();
}
