// node-gyp would otherwise try to download Node's headers for native addons
// (better-sqlite3), which fails on machines without internet access. The running
// Node ships its headers under <prefix>/include/node, so point node-gyp there.
const path = require('node:path')

module.exports = {
  hooks: {
    updateConfig(config) {
      const nodedir = path.resolve(path.dirname(process.execPath), '..')
      config.extraEnv = { ...(config.extraEnv ?? {}), npm_config_nodedir: nodedir }
      return config
    },
  },
}
