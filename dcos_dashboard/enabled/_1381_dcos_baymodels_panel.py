PANEL = "dcos_baymodels"
PANEL_DASHBOARD = "project"
PANEL_GROUP = "dcos"
ADD_PANEL = "dcos_dashboard.panels.baymodels.panel.BayModels"
