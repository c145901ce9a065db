// POS Grocery under PM2, for teams that keep it (systemd units in ops/systemd are the default).
// The runbook's pos-server app, adapted: PM2 runs the Python console script directly (no Node app),
// and the runbook's process settings are kept. `pm2 start ops/pm2/ecosystem.config.js` from /opt/pos-grocery.
// The daily backup uses PM2's cron_restart on a one-shot app (autorestart off), like the runbook's cron line.
const ROOT = process.env.POS_ROOT || '/opt/pos-grocery';
const BIN = `${ROOT}/.venv/bin/pos-grocery`;
const common = {
  cwd: ROOT,
  interpreter: 'none',
  exec_mode: 'fork',
  instances: 1,
  time: true,
  merge_logs: true,
};

module.exports = {
  apps: [
    {
      ...common,
      name: 'pos-server',
      script: BIN,
      args: 'serve',
      env: {
        APP_ENV: 'production',
        PORT: 8250,
        LOG_FORMAT: 'json',
        BACKUP_LOG: '/var/log/pos/backup.log',
        ARCHIVE_DIR: `${ROOT}/backups/archive`,
      },
      error_file: '/var/log/pos/server-error.log',
      out_file: '/var/log/pos/server-out.log',
      max_memory_restart: '1G',
      restart_delay: 4000,
      max_restarts: 10,
      min_uptime: '10s',
      kill_timeout: 10000, // SIGTERM: drain, last archive copy, WAL checkpoint
      listen_timeout: 10000,
    },
    {
      ...common,
      name: 'pos-web',
      script: BIN,
      args: 'web',
      env: { APP_ENV: 'production', WEB_PORT: 8080, LOG_FORMAT: 'json' },
      error_file: '/var/log/pos/web-error.log',
      out_file: '/var/log/pos/web-out.log',
      max_memory_restart: '256M',
      restart_delay: 4000,
    },
    {
      ...common,
      name: 'pos-devices',
      script: BIN,
      args: 'devices',
      env: { APP_ENV: 'production', LOG_FORMAT: 'json' },
      error_file: '/var/log/pos/devices-error.log',
      out_file: '/var/log/pos/devices-out.log',
      restart_delay: 2000,
    },
    {
      ...common,
      name: 'pos-backup',
      script: BIN,
      args: 'backup',
      env: { APP_ENV: 'production', BACKUP_LOG: '/var/log/pos/backup.log' },
      cron_restart: '0 2 * * *',
      autorestart: false,
      error_file: '/var/log/pos/backup-error.log',
      out_file: '/var/log/pos/backup-out.log',
    },
  ],
};
