/** Usage texts; each subcommand's `--help` prints its own. */

export const COMMON_OPTIONS = `  -c, --config PATH     config file (repeatable; later files override earlier ones). Default: config.json
      --userdir PATH    user data directory (config user_data_dir)
      --datadir PATH    candle data directory (config datadir)
      --db-url URL      database URL (config db_url)
  -s, --strategy NAME   strategy class name (config strategy)
      --log-format F    pretty | json (default: pretty on a terminal, json otherwise)
      --log-level L     trace | debug | info | warn | error (default: info)
  -h, --help            this help`

export const COMMANDS: Record<string, { summary: string; usage: string }> = {
  trade: {
    summary: 'run the bot (dry-run or live) and its API',
    usage: `Usage: tern trade [options]\n\nRuns the trading bot with the API server of the config.\n\n${COMMON_OPTIONS}`,
  },
  webserver: {
    summary: 'run the API only, without trading (backtesting, charts)',
    usage: `Usage: tern webserver [options]\n\nRuns the API server without a trading engine (runmode "webserver").\n\n${COMMON_OPTIONS}`,
  },
  'new-config': {
    summary: 'write a commented example config',
    usage: `Usage: tern new-config [-o PATH] [--force]\n\nWrites a commented example configuration.\n\n  -o, --output PATH   where to write it (default: config.json)\n      --force         overwrite an existing file\n  -h, --help          this help`,
  },
  'create-userdir': {
    summary: 'create the user data folder and its subfolders',
    usage: `Usage: tern create-userdir [--userdir DIR] [options]\n\nCreates the user data folder (--userdir, else the config's user_data_dir, default user_data) with strategies/, data/ and backtest_results/; existing folders are left as they are.\n\n${COMMON_OPTIONS}`,
  },
  'new-strategy': {
    summary: 'write a strategy class to start from',
    usage: `Usage: tern new-strategy --strategy NAME [--strategy-path DIR] [--template full|minimal] [--force]\n\nWrites NAME.ts, a working strategy to change (EMA cross with an RSI filter; the full template adds commented callbacks), into --strategy-path, else the config's strategy_path, else <user_data_dir>/strategies (where list-strategies and the bot look too).\n\n  -s, --strategy NAME      the class name\n      --strategy-path DIR  the folder to write to\n      --template T         full (default) or minimal\n      --force              overwrite an existing file\n  -c, --config PATH        config file (for strategy_path)\n  -h, --help               this help`,
  },
  'show-config': {
    summary: 'print the merged config with secrets hidden',
    usage: `Usage: tern show-config [options]\n\nPrints the configuration after merging files, environment overrides and defaults, with secrets hidden.\n\n${COMMON_OPTIONS}`,
  },
  sim: {
    summary: 'run the simulated exchange on its own',
    usage: `Usage: tern sim [--port N] [--seed N] [--speed X] [--pairs A/B,C/D]\n\nRuns the simulated exchange (the subset of Binance's spot REST API that ccxt uses) on 127.0.0.1.\n\n      --port N      port (default 8090; 0 = any free port)\n      --seed N      seed of the synthetic prices (default 42)\n      --speed X     clock factor: 60 closes a 5m candle every 5 s (default 1)\n      --pairs LIST  extra pairs to list, comma separated (repeatable)\n  -h, --help        this help`,
  },
  'download-data': {
    summary: 'download candles into the data directory',
    usage: `Usage: tern download-data [--pairs P ...] [--timeframes TF ...] [--timerange YYYYMMDD-[YYYYMMDD] | --days N] [--erase] [--data-format feather|json|jsongz] [options]\n\nDownloads candles from the configured exchange into <datadir>/<BASE>_<QUOTE>-<tf>.<ext>, appending only what is missing.\n\n  -p, --pairs P ...       pairs (default: exchange.pair_whitelist)\n  -t, --timeframes TF ... timeframes (default: the config's timeframe, else 5m)\n      --timerange R       e.g. 20240101- or 20240101-20240201\n      --days N            start N days back\n      --erase             delete existing files first\n      --data-format F     feather (default), json or jsongz\n${COMMON_OPTIONS}`,
  },
  'convert-data': {
    summary: 'convert candle files from one format to another',
    usage: `Usage: tern convert-data --format-from F --format-to F [--pairs P ...] [--timeframes TF ...] [--erase] [options]\n\nRewrites the candle files of one format in the data directory in another (feather, json, jsongz).\n\n      --format-from F     the format to read\n      --format-to F       the format to write\n  -p, --pairs P ...       only these pairs\n  -t, --timeframes TF ... only these timeframes\n      --erase             delete each source file once converted\n${COMMON_OPTIONS}`,
  },
  'list-data': {
    summary: 'list the candle files in the data directory',
    usage: `Usage: tern list-data [options]\n\nLists pairs, timeframes, formats, ranges and candle counts found in the data directory.\n\n${COMMON_OPTIONS}`,
  },
  'show-trades': {
    summary: "print the trades of the bot's database",
    usage: `Usage: tern show-trades [--trade-ids N ...] [--print-json] [options]\n\nPrints the trades stored by the bot (the database of db_url, or --db-url): a table, or the API's trade objects as JSON.\n\n      --trade-ids N ...   only these trades\n      --print-json        the trade objects of GET /api/v1/trades, as JSON\n${COMMON_OPTIONS}`,
  },
  'test-pairlist': {
    summary: "build the config's pairlist once and print the whitelist",
    usage: `Usage: tern test-pairlist [--quote Q ...] [--print-json | -1] [options]\n\nBuilds the config's pairlists (plugins included) once against its exchange and prints the resulting whitelist.\n\n      --quote Q ...       whitelists for these quote currencies (default: stake_currency)\n      --print-json        each whitelist as a JSON array\n  -1, --one-column        one pair a line\n${COMMON_OPTIONS}`,
  },
  'list-exchanges': {
    summary: 'list the exchanges ccxt speaks, and the simulator',
    usage: `Usage: tern list-exchanges [-1]\n\nLists the exchanges ccxt speaks (spot), and the simulator; those tested with Tern are marked.\n\n  -1, --one-column        one exchange id a line\n  -h, --help              this help`,
  },
  'list-markets': {
    summary: 'list the markets of the configured exchange',
    usage: `Usage: tern list-markets [--quote Q ...] [--base B ...] [--active-only] [--print-json | --print-list | -1] [options]\n\nLists the markets of the config's exchange with their precision and minimums (spot: the same as list-pairs).\n\n      --quote Q ...       only these quote currencies\n      --base B ...        only these base currencies\n      --active-only       only active markets\n      --print-json        the symbols as a JSON array\n      --print-list        the symbols comma-separated\n  -1, --one-column        one symbol a line\n${COMMON_OPTIONS}`,
  },
  'list-pairs': {
    summary: 'list the pairs of the configured exchange',
    usage: `Usage: tern list-pairs [--quote Q ...] [--base B ...] [--active-only] [--print-json | --print-list | -1] [options]\n\nLists the pairs of the config's exchange with their precision and minimums.\n\n      --quote Q ...       only these quote currencies\n      --base B ...        only these base currencies\n      --active-only       only active markets\n      --print-json        the symbols as a JSON array\n      --print-list        the symbols comma-separated\n  -1, --one-column        one symbol a line\n${COMMON_OPTIONS}`,
  },
  'list-timeframes': {
    summary: 'list the candle timeframes of the configured exchange',
    usage: `Usage: tern list-timeframes [-1] [options]\n\nLists the candle timeframes the config's exchange offers.\n\n  -1, --one-column        one timeframe a line\n${COMMON_OPTIONS}`,
  },
  'list-strategies': {
    summary: 'list the strategies found, with their timeframe and load status',
    usage: `Usage: tern list-strategies [--strategy-path DIR] [options]\n\nLists strategy classes in strategy_path, <user_data_dir>/strategies and Tern's strategies/.\n\n      --strategy-path DIR  another folder of strategies (config strategy_path)\n${COMMON_OPTIONS}`,
  },
  backtesting: {
    summary: 'backtest strategies over stored candles (freqtrade result format)',
    usage: `Usage: tern backtesting [--strategy NAME | --strategy-list A B ...] [--timerange 20180110-20180130] [options]\n\nRuns strategies over stored candles with the live engine's rules, prints freqtrade's tables and writes user_data/backtest_results/backtest-result-<time>.json.\n\n      --strategy-list A B ...  several strategies side by side\n      --timerange R            YYYYMMDD-YYYYMMDD, either end open\n  -i, --timeframe TF           candle timeframe (default: the strategy's)\n      --timeframe-detail TF    a lower timeframe for exits inside each candle\n      --eps                    allow several open trades per pair (position stacking)\n      --max-open-trades N      override max_open_trades\n      --stake-amount X         a number or 'unlimited'\n      --dry-run-wallet X       starting balance (also --starting-balance)\n      --fee F                  fee ratio per side (default: the market's)\n  -p, --pairs P ...            pairs (default: the whitelist)\n      --enable-protections     apply the config's protections\n      --export none|trades     write the result file (default trades)\n      --export-filename FILE   where to write it (also --backtest-filename)\n      --backtest-directory DIR the results folder (also --export-directory; default user_data/backtest_results)\n      --notes TEXT             notes stored with the result\n      --no-progress            no progress bar\n      --breakdown P ...        periodic tables: day, week, month, year, weekday\n      --cache none|day|...     reuse an identical result this recent (default: config backtest_cache, day)\n${COMMON_OPTIONS}`,
  },
  'lookahead-analysis': {
    summary: 'check whether a strategy reads candles it could not have seen yet',
    usage: `Usage: tern lookahead-analysis --strategy NAME [--timerange 20180110-20180130] [options]\n\nAnalyses the stored candles in full, then again up to each of the strategy's first signals, and reports the columns whose value on the signal's candle changed (freqtrade's lookahead-analysis). Exits with 1 when a bias is found.\n\n      --timerange R                 where to look for signals (startup candles are loaded before it)\n  -p, --pairs P ...                 pairs (default: the whitelist)\n      --targeted-trade-amount N     signals to check at most (default 20)\n      --minimum-trade-amount N      fewer signals than this is inconclusive (default 10)\n      --strategy-path DIR           another folder of strategies (config strategy_path)\n      --lookahead-analysis-exportfilename FILE  also write the table's row as CSV\n${COMMON_OPTIONS}`,
  },
  'recursive-analysis': {
    summary: "show how a strategy's indicators depend on the number of startup candles",
    usage: `Usage: tern recursive-analysis --strategy NAME [--timerange 20180120-] [--startup-candle 199 399 999] [options]\n\nAnalyses one pair with each startup candle count and prints, per column that changes, its largest difference over the timerange from the analysis with the most startup candles (freqtrade's recursive-analysis).\n\n      --timerange R              the candles compared (startup candles are loaded before it)\n  -p, --pairs P                  the pair (default: the whitelist's first)\n      --startup-candle N ...     startup candle counts (default 199 399 499 999 1999)\n      --strategy-path DIR        another folder of strategies (config strategy_path)\n${COMMON_OPTIONS}`,
  },
  'backtesting-show': {
    summary: 'print a stored backtest result again',
    usage: `Usage: tern backtesting-show [--backtest-filename FILE] [options]\n\nPrints the tables of a stored backtest result (default: the latest).\n\n      --backtest-filename FILE  a result file (also --export-filename)\n      --backtest-directory DIR  where to find the latest (also --export-directory)\n      --breakdown P ...         periodic tables: day, week, month, year, weekday\n${COMMON_OPTIONS}`,
  },
  'list-plugins': {
    summary: 'list the pairlist, protection and notifier plugins with their config keys',
    usage: `Usage: tern list-plugins [--plugin-path DIR] [--json] [options]\n\nLists built-in plugins and those in plugin_paths, with their config schemas.\n\n      --plugin-path DIR  another file or folder of plugins (repeatable)\n      --json             the full JSON schemas\n${COMMON_OPTIONS}`,
  },
  openapi: {
    summary: 'write the OpenAPI document',
    usage: `Usage: tern openapi [-o PATH]\n\nWrites the OpenAPI document of the REST API (no database, no exchange, no port is opened).\n\n  -o, --output PATH   where to write it (default: openapi/openapi.json)\n  -h, --help          this help`,
  },
}

export function mainUsage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length))
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`)
  return `Usage: tern <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun 'tern <command> --help' for a command's options; 'tern --version' prints the versions and engine settings.`
}
