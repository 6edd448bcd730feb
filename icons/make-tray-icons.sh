#!/usr/bin/env bash
# Makes the tray icons from the one source image, icons/app-icon.png (needs ImageMagick):
#   tray/tray.png, tray-warning.png, tray-over.png         colour, for Linux and Windows trays
#   tray/tray-template*.png                                 black silhouettes for the macOS menu bar
# "warning" (a budget is at 80 % or more) adds an amber badge, "over" (100 % or more) a red one.
# The app icons at every size come from `npx tauri icon icons/app-icon.png -o icons/`.
set -euo pipefail
cd "$(dirname "$0")"
SIZE=64
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

convert app-icon.png -resize "${SIZE}x${SIZE}" "$WORK/colour.png"
# The eye (white and yellow are light; the background gradient and the pupil are dark) as alpha.
convert app-icon.png -alpha off -colorspace HSL -channel L -separate +channel -threshold 45% \
  \( app-icon.png -alpha extract \) -compose multiply -composite -resize "${SIZE}x${SIZE}" "$WORK/eye-mask.png"
convert -size "${SIZE}x${SIZE}" xc:black "$WORK/eye-mask.png" -alpha off -compose copy_opacity -composite "$WORK/template.png"

badge() { # $1 image, $2 fill colour, $3 ring colour, $4 output
  local r=$((SIZE * 13 / 64)) cx=$((SIZE - SIZE * 15 / 64)) cy=$((SIZE - SIZE * 15 / 64))
  convert "$1" -fill "$3" -draw "circle $cx,$cy $((cx + r + SIZE / 32)),$cy" \
    -fill "$2" -draw "circle $cx,$cy $((cx + r)),$cy" "$4"
}

cp "$WORK/colour.png" tray/tray.png
badge "$WORK/colour.png" '#f59e0b' white tray/tray-warning.png
badge "$WORK/colour.png" '#dc2626' white tray/tray-over.png
cp "$WORK/template.png" tray/tray-template.png
# Template images may only use black and alpha: the badge is cut out of the eye (a transparent gap),
# then drawn as a ring (warning) or a filled dot (over).
template_badge() { # $1 "ring" or "dot", $2 output
  local r=$((SIZE * 13 / 64)) cx=$((SIZE - SIZE * 15 / 64)) cy=$((SIZE - SIZE * 15 / 64)) gap=$((SIZE * 4 / 64))
  convert "$WORK/template.png" \( -size "${SIZE}x${SIZE}" xc:none -fill black -draw "circle $cx,$cy $((cx + r + gap)),$cy" \) \
    -compose dst_out -composite "$WORK/cut.png"
  if [ "$1" = ring ]; then
    convert "$WORK/cut.png" -fill none -stroke black -strokewidth $((SIZE * 5 / 64)) -draw "circle $cx,$cy $((cx + r - SIZE * 2 / 64)),$cy" "$2"
  else
    convert "$WORK/cut.png" -fill black -draw "circle $cx,$cy $((cx + r)),$cy" "$2"
  fi
}
template_badge ring tray/tray-template-warning.png
template_badge dot tray/tray-template-over.png
