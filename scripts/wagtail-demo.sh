#!/usr/bin/env bash
# The picker inside Wagtail's page editor, in one command: builds the widget's release folder
# into the Wagtail app's static files, builds and starts getty-picker-server in sandbox mode
# with forward-auth to the example site, prepares the example site (SQLite, demo users and
# page, the collection licensed files go to), starts the task worker that imports licensed files
# in the background and runs the site on http://127.0.0.1:8000/ until Ctrl-C, which stops all
# three. Log in at http://127.0.0.1:8000/admin/ as editor/editor (licenses Getty images,
# publishes, approves in moderation) or writer/writer (searches and chooses comps, saves drafts,
# submits them for moderation).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh

site_port="${WAGTAIL_DEMO_PORT:-8000}"
service_port="${PICKER_DEMO_PORT:-8787}"
site="http://127.0.0.1:$site_port"
service="http://127.0.0.1:$service_port"

nice -n 15 bash scripts/build.sh
bash scripts/wagtail-static.sh dist
nice -n 15 cargo build --quiet -p getty-picker-server

python=.venv-wagtail/bin/python
manage=(integrations/wagtail/example/manage.py)
# The secret the site signs its own token requests with (it has Getty confirm each licence it
# records), made afresh for each run and shared with the token service only.
GETTY_PICKER_TICKET_SECRET="$("$python" -c 'import secrets; print(secrets.token_hex(32))')"
export GETTY_PICKER_SERVICE="$service" EXAMPLE_BASE_URL="$site" GETTY_PICKER_TICKET_SECRET
"$python" "${manage[@]}" migrate --noinput -v 0
"$python" "${manage[@]}" demo_setup

# Forward-auth on: the token service asks the site whether the browser's session cookie belongs
# to an editor with getty_picker.license_image (a user token) or getty_picker.search_image (a
# search-only token), and hands out a token only then; the site's own requests carry a ticket.
PICKER_TICKET_SECRET="$GETTY_PICKER_TICKET_SECRET" \
  target/debug/getty-picker-server --sandbox --listen "127.0.0.1:$service_port" \
  --allowed-origins "$site" --auth-url "$site/getty-picker/auth/" &
service_pid=$!
# The worker that imports licensed files (Django's task framework, the database queue of
# django-tasks-db): the site only enqueues them.
"$python" "${manage[@]}" db_worker --backend getty_picker --no-reload --interval 0.5 &
worker_pid=$!
trap 'kill "$service_pid" "$worker_pid" 2>/dev/null || true' EXIT INT TERM
# Up before Django starts (a taken port, for one, stops it with a message above).
ready=""
for _ in $(seq 100); do
  kill -0 "$service_pid" 2>/dev/null || break
  if "$python" -c "import urllib.request as u; u.urlopen('$service/healthz', timeout=1)" 2>/dev/null; then
    ready=1
    break
  fi
  sleep 0.1
done
[ -n "$ready" ] || { echo "wagtail-demo: getty-picker-server is not answering on $service" >&2; exit 1; }

echo "wagtail-demo: open $site/admin/ and log in as editor/editor (licenses and publishes) or writer/writer (searches, submits for moderation)"
echo "wagtail-demo: then Pages > Getty picker demo > Edit: Download imports the licensed file, Publish puts it live at $site/"
echo "wagtail-demo: the token service is on $service (sandbox); Reports > Getty licences lists what was licensed"
"$python" "${manage[@]}" runserver "127.0.0.1:$site_port" --noreload
