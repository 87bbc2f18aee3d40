#!/bin/bash
# Seed 002's restart_service, in bash: restart the app only when its rendered config changed.
# @charmkit/reactive puts reactive.sh on PATH and sets APP_CONFIG_FILE and APP_SERVICE.
set -euo pipefail
source reactive.sh

@when_file_changed "$APP_CONFIG_FILE"
function restart_service() {
  systemctl restart "$APP_SERVICE"
  set_flag app.running
}

reactive_handler_main "$@"
