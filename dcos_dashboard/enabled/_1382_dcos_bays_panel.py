PANEL = "dcos_bays"
PANEL_DASHBOARD = "project"
PANEL_GROUP = "dcos"
ADD_PANEL = "dcos_dashboard.panels.bays.panel.Bays"
