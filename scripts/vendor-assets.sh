#!/usr/bin/env bash
# Refresh the front-end files that paraat serves itself (no CDN: keeps the CSP strict).
# Installs the pinned npm packages from package.json and copies the built files with their
# licences to src/paraat/web/static/vendor/. The copied files are committed, so a fresh
# machine needs no Node.js to run paraat; run this only to upgrade an asset.
set -euo pipefail
cd "$(dirname "$0")/.."
npm install --no-audit --no-fund
out=src/paraat/web/static/vendor
rm -rf "$out"
mkdir -p "$out/utrecht" "$out/rhc" "$out/chartjs" "$out/fira-sans/files"
cp node_modules/@utrecht/component-library-css/dist/index.css "$out/utrecht/component-library.css"
cp node_modules/@utrecht/component-library-css/LICENSE* "$out/utrecht/" 2>/dev/null || true
cp node_modules/@rijkshuisstijl-community/design-tokens/dist/index.css "$out/rhc/design-tokens.css"
cp node_modules/@rijkshuisstijl-community/design-tokens/LICENSE* "$out/rhc/" 2>/dev/null || true
# Source maps are not shipped; drop the reference so static manifests resolve.
sed "/sourceMappingURL=/d" node_modules/chart.js/dist/chart.umd.min.js > "$out/chartjs/chart.umd.min.js"
cp node_modules/chart.js/LICENSE* "$out/chartjs/" 2>/dev/null || true
for w in 400 700; do
  cp "node_modules/@fontsource/fira-sans/files/fira-sans-latin-$w-normal.woff2" "$out/fira-sans/files/"
done
cp node_modules/@fontsource/fira-sans/files/fira-sans-latin-400-italic.woff2 "$out/fira-sans/files/"
cp node_modules/@fontsource/fira-sans/LICENSE* "$out/fira-sans/" 2>/dev/null || true
cat > "$out/fira-sans/fira-sans.css" <<'CSS'
/* Fira Sans (SIL Open Font License 1.1), from @fontsource/fira-sans, latin subset. */
@font-face { font-family: 'Fira Sans'; font-style: normal; font-weight: 400; font-display: swap;
  src: url(files/fira-sans-latin-400-normal.woff2) format('woff2'); }
@font-face { font-family: 'Fira Sans'; font-style: italic; font-weight: 400; font-display: swap;
  src: url(files/fira-sans-latin-400-italic.woff2) format('woff2'); }
@font-face { font-family: 'Fira Sans'; font-style: normal; font-weight: 700; font-display: swap;
  src: url(files/fira-sans-latin-700-normal.woff2) format('woff2'); }
CSS
node -e 'const p=require("./package.json");const v={};for(const n of Object.keys(p.dependencies)){v[n]=require("./node_modules/"+n+"/package.json").version;}console.log(JSON.stringify(v,null,2))' > "$out/VERSIONS.json"
echo "vendored into $out"
