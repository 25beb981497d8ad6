# No models: the audit review reads the simple-history tables of the other apps. The module
# exists so that Django sends this app its post_migrate signal (which installs the history
# guard triggers, see common.history_guard).
