# bash completion for virt-winfix: commands, options, fix ids, finding ids
# (the help topics), libvirt domain names.  Installed by `make install`
# into share/bash-completion/completions/virt-winfix.

_virt_winfix_domains()
{
	local uri=$1
	virsh ${uri:+-c "$uri"} list --all --name 2>/dev/null | sed '/^$/d'
}

_virt_winfix()
{
	local cur prev cmd uri i
	COMPREPLY=()
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	cmd=
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		inspect|diagnose|fix|undo|log|help) cmd=${COMP_WORDS[i]}; break ;;
		esac
	done
	for ((i = 1; i < COMP_CWORD; i++)); do
		[[ ${COMP_WORDS[i]} == -c || ${COMP_WORDS[i]} == --connect ]] && uri=${COMP_WORDS[i+1]}
	done
	local src="-a --add --format -d --domain -c --connect --pve-config --key -v --verbose -x --json -h --help"
	case $prev in
	-d|--domain)
		COMPREPLY=($(compgen -W "$(_virt_winfix_domains "$uri")" -- "$cur")); return ;;
	-c|--connect)
		COMPREPLY=($(compgen -W "qemu:///system qemu:///session test:///default" -- "$cur")); return ;;
	--format)
		COMPREPLY=($(compgen -W "raw qcow2 vmdk vhd vpc vhdx vdi auto" -- "$cur")); return ;;
	--fix)
		local ids="enable-driver: mergeide add-cdd: ddb-entry: ddb-version: inject-virtio: remove-filter: autoreboot-off import-reg:"
		compopt -o nospace 2>/dev/null
		COMPREPLY=($(compgen -W "$ids" -- "${cur##*,}"))
		[[ $cur == *,* ]] && COMPREPLY=("${COMPREPLY[@]/#/${cur%,*},}")
		return ;;
	--target)
		COMPREPLY=($(compgen -W "virtio-blk virtio-scsi sata ide nvme lsi-sas lsi-scsi pvscsi virtio-net e1000 e1000e rtl8139 vmxnet3" -- "${cur##*,}"))
		[[ $cur == *,* ]] && COMPREPLY=("${COMPREPLY[@]/#/${cur%,*},}")
		return ;;
	--key|--id)
		return ;;
	-a|--add|--pve-config|--domain-xml|--system-hive|--software-hive|--log|--virtio-win|--backup-dir)
		[[ $prev == --backup-dir ]] && COMPREPLY=($(compgen -d -- "$cur")) || COMPREPLY=($(compgen -f -- "$cur"))
		return ;;
	esac
	case $cmd in
	'')	# a command, or the wizard's options (-d DOMAIN opens it on a domain)
		[[ $cur == -* ]] && COMPREPLY=($(compgen -W "-a -d --domain -c --connect --format --pve-config --target --domain-xml --wizard --help --version" -- "$cur")) ||
			COMPREPLY=($(compgen -W "inspect diagnose fix undo log help" -- "$cur")) ;;
	help)
		COMPREPLY=($(compgen -W "$(virt-winfix help 2>/dev/null | sed -n 's/^  \([^ ]*\)$/\1/p')" -- "$cur")) ;;
	log)
		[[ $cur == -* ]] && COMPREPLY=($(compgen -W "--json --tui --no-tui --paste -h --help" -- "$cur")) || COMPREPLY=($(compgen -f -- "$cur")) ;;
	inspect)
		[[ $cur == -* ]] && COMPREPLY=($(compgen -W "$src" -- "$cur")) || COMPREPLY=($(compgen -f -- "$cur")) ;;
	diagnose)
		[[ $cur == -* ]] && COMPREPLY=($(compgen -W "$src --target --domain-xml --system-hive --software-hive --log" -- "$cur")) || COMPREPLY=($(compgen -f -- "$cur")) ;;
	fix)
		[[ $cur == -* ]] && COMPREPLY=($(compgen -W "$src --fix --auto --virtio-win --dry-run --yes -y --backup-dir --current-only --target --domain-xml --switch-domain" -- "$cur")) || COMPREPLY=($(compgen -f -- "$cur")) ;;
	undo)
		[[ $cur == -* ]] && COMPREPLY=($(compgen -W "$src --list --id --force --yes -y --backup-dir" -- "$cur")) || COMPREPLY=($(compgen -f -- "$cur")) ;;
	esac
}
complete -F _virt_winfix virt-winfix
