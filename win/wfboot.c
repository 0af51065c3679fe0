/*
 * wfboot.c - the first-boot service virt-winfix leaves in a Windows guest
 * (the role rhsrvany/pvvxsvc play for virt-v2v), built for x86 and x64
 * with mingw-w64 and embedded in virt-winfix (see win/README.md).
 *
 * Registered by core/fix/firstboot.c as an own-process service (Type 0x10,
 * auto start, LocalSystem) with ImagePath "C:\virt-winfix\wfboot.exe" N,
 * N being the attempt cap.  The files beside it:
 *   firstboot.cmd   the install script (exit 0: done, 3010: done and
 *                   Windows must restart, anything else: failed)
 *   firstboot.tries attempts so far (one decimal number)
 *   firstboot.log   what happened, appended to by the script too
 * At each start it tells the Service Control Manager RUNNING before it
 * does anything (the SCM waits for that, 30 s by default, and logs event
 * 7000/7009, error 1053, when it does not come: what cmd.exe registered
 * as a service got), counts the attempt, runs the script in a job (so a
 * stop or the time limit ends pnputil too), and then:
 *   - done, or the cap reached: deletes the service (DeleteService), the
 *     script and the count, and itself (MoveFileEx DELAY_UNTIL_REBOOT,
 *     the documented way to delete a running image), keeps the log and
 *     the staged drivers, and, when the script said 3010, restarts
 *     Windows once with a 60 s notice;
 *   - failed below the cap: stays for the next boot.
 * It never restarts Windows while it is still registered, so it cannot
 * reboot-loop.  STOP/SHUTDOWN end the wait at once (the attempt counts).
 *
 * Interfaces followed (Microsoft Learn, "Service Programs", "ServiceMain",
 * "HandlerEx", "SetServiceStatus", "DeleteService", "MoveFileExW",
 * "InitiateSystemShutdownExW", "Job Objects"); no code from elsewhere.
 */
#include <windows.h>

#include <stdarg.h>
#include <stdio.h>
#include <wchar.h>

#define SCRIPT_LIMIT_MS (60u * 60u * 1000u)	/* one attempt: at most an hour */
#define TRIES_DEFAULT 3
#define TRIES_MAX 20
#define EXIT_REBOOT 3010			/* ERROR_SUCCESS_REBOOT_REQUIRED */

static SERVICE_STATUS_HANDLE status_handle;
static SERVICE_STATUS status;
static HANDLE stop_event;
static int tries_cap = TRIES_DEFAULT;
static wchar_t dir[MAX_PATH];		/* folder of this program, with '\' */
static wchar_t service_name[256];

static void path_in_dir(wchar_t *out, size_t n, const wchar_t *name)
{
	_snwprintf(out, n, L"%ls%ls", dir, name);
	out[n - 1] = 0;
}

/* One line "[yyyy-mm-dd hh:mm:ss] wfboot: ..." appended to firstboot.log
 * in the ANSI code page, as cmd's redirections write it. */
static void say(const wchar_t *fmt, ...)
{
	wchar_t msg[1024], line[1100], path[MAX_PATH];
	va_list ap;
	va_start(ap, fmt);
	_vsnwprintf(msg, 1024, fmt, ap);
	va_end(ap);
	msg[1023] = 0;
	SYSTEMTIME t;
	GetLocalTime(&t);
	_snwprintf(line, 1100, L"[%04u-%02u-%02u %02u:%02u:%02u] wfboot: %ls\r\n", t.wYear, t.wMonth,
		   t.wDay, t.wHour, t.wMinute, t.wSecond, msg);
	line[1099] = 0;
	char buf[2400];
	int len = WideCharToMultiByte(CP_ACP, 0, line, -1, buf, sizeof buf, NULL, NULL);
	path_in_dir(path, MAX_PATH, L"firstboot.log");
	HANDLE f = CreateFileW(path, FILE_APPEND_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
			       OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
	if (f == INVALID_HANDLE_VALUE || len <= 1) {
		if (f != INVALID_HANDLE_VALUE)
			CloseHandle(f);
		return;
	}
	DWORD w;
	WriteFile(f, buf, (DWORD)(len - 1), &w, NULL);
	CloseHandle(f);
}

static void report(DWORD state, DWORD exit_code)
{
	status.dwServiceType = SERVICE_WIN32_OWN_PROCESS;
	status.dwCurrentState = state;
	status.dwControlsAccepted = state == SERVICE_RUNNING ? SERVICE_ACCEPT_STOP | SERVICE_ACCEPT_SHUTDOWN : 0;
	status.dwWin32ExitCode = exit_code;
	status.dwServiceSpecificExitCode = 0;
	status.dwWaitHint = state == SERVICE_STOP_PENDING ? 10000 : 0;
	status.dwCheckPoint = state == SERVICE_STOP_PENDING ? status.dwCheckPoint + 1 : 0;
	SetServiceStatus(status_handle, &status);
}

static DWORD WINAPI control(DWORD code, DWORD type, LPVOID data, LPVOID ctx)
{
	(void)type, (void)data, (void)ctx;
	switch (code) {
	case SERVICE_CONTROL_STOP:
	case SERVICE_CONTROL_SHUTDOWN:
		report(SERVICE_STOP_PENDING, NO_ERROR);
		SetEvent(stop_event);
		return NO_ERROR;
	case SERVICE_CONTROL_INTERROGATE:
		return NO_ERROR;
	default:
		return ERROR_CALL_NOT_IMPLEMENTED;
	}
}

/* Attempts so far (0 when the file is absent or not a number 0..999). */
static int read_tries(void)
{
	wchar_t path[MAX_PATH];
	path_in_dir(path, MAX_PATH, L"firstboot.tries");
	HANDLE f = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
	if (f == INVALID_HANDLE_VALUE)
		return 0;
	char buf[16] = { 0 };
	DWORD got = 0;
	ReadFile(f, buf, sizeof buf - 1, &got, NULL);
	CloseHandle(f);
	int n = 0;
	for (DWORD i = 0; i < got && buf[i] >= '0' && buf[i] <= '9' && n < 1000; i++)
		n = n * 10 + (buf[i] - '0');
	return n;
}

static void write_tries(int n)
{
	wchar_t path[MAX_PATH];
	char buf[16];
	path_in_dir(path, MAX_PATH, L"firstboot.tries");
	int len = snprintf(buf, sizeof buf, "%d\r\n", n);
	HANDLE f = CreateFileW(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
	if (f == INVALID_HANDLE_VALUE) {
		say(L"cannot write %ls (error %lu)", path, GetLastError());
		return;
	}
	DWORD w;
	if (!WriteFile(f, buf, (DWORD)len, &w, NULL) || !FlushFileBuffers(f))
		say(L"cannot write %ls (error %lu)", path, GetLastError());
	CloseHandle(f);
}

/* Run "cmd.exe /c firstboot.cmd" in a job that dies with it; the
 * script's exit code, or -1 when it could not run, -2 when a stop came,
 * -3 when the hour ran out. */
static long run_script(void)
{
	wchar_t cmd[MAX_PATH], script[MAX_PATH], line[3 * MAX_PATH];
	UINT n = GetSystemDirectoryW(cmd, MAX_PATH - 10);
	if (n == 0 || n >= MAX_PATH - 10)
		return -1;
	wcscat(cmd, L"\\cmd.exe");
	path_in_dir(script, MAX_PATH, L"firstboot.cmd");
	if (GetFileAttributesW(script) == INVALID_FILE_ATTRIBUTES) {
		say(L"no %ls", script);
		return -1;
	}
	_snwprintf(line, 3 * MAX_PATH, L"\"%ls\" /d /c \"\"%ls\"\"", cmd, script);
	line[3 * MAX_PATH - 1] = 0;
	HANDLE job = CreateJobObjectW(NULL, NULL);
	JOBOBJECT_EXTENDED_LIMIT_INFORMATION lim;
	ZeroMemory(&lim, sizeof lim);
	lim.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
	if (job)
		SetInformationJobObject(job, JobObjectExtendedLimitInformation, &lim, sizeof lim);
	STARTUPINFOW si;
	PROCESS_INFORMATION pi;
	ZeroMemory(&si, sizeof si);
	si.cb = sizeof si;
	if (!CreateProcessW(cmd, line, NULL, NULL, FALSE, CREATE_NO_WINDOW | CREATE_SUSPENDED,
			    NULL, dir, &si, &pi)) {
		say(L"cannot run %ls (error %lu)", line, GetLastError());
		if (job)
			CloseHandle(job);
		return -1;
	}
	if (job && !AssignProcessToJobObject(job, pi.hProcess))
		say(L"note: the script runs outside a job (error %lu)", GetLastError());
	ResumeThread(pi.hThread);
	CloseHandle(pi.hThread);
	HANDLE wait[2] = { pi.hProcess, stop_event };
	DWORD w = WaitForMultipleObjects(2, wait, FALSE, SCRIPT_LIMIT_MS);
	long rc;
	DWORD code = 0;
	if (w == WAIT_OBJECT_0 && GetExitCodeProcess(pi.hProcess, &code))
		rc = (long)code;
	else
		rc = w == WAIT_OBJECT_0 + 1 ? -2 : w == WAIT_TIMEOUT ? -3 : -1;
	if (rc < 0)
		TerminateProcess(pi.hProcess, 1);
	CloseHandle(pi.hProcess);
	if (job)
		CloseHandle(job);	/* KILL_ON_JOB_CLOSE: pnputil too */
	return rc;
}

static void delete_service(void)
{
	SC_HANDLE scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT);
	SC_HANDLE s = scm ? OpenServiceW(scm, service_name, DELETE) : NULL;
	if (s && DeleteService(s))
		say(L"service %ls deleted", service_name);
	else
		say(L"cannot delete service %ls (error %lu)", service_name, GetLastError());
	if (s)
		CloseServiceHandle(s);
	if (scm)
		CloseServiceHandle(scm);
}

/* The service, the script, the count and this program go; the log and
 * the staged drivers (DevicePath names them) stay. */
static void remove_self(void)
{
	wchar_t path[MAX_PATH], self[MAX_PATH];
	delete_service();
	static const wchar_t *const files[] = { L"firstboot.cmd", L"firstboot.tries" };
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		path_in_dir(path, MAX_PATH, files[i]);
		if (!DeleteFileW(path) && GetLastError() != ERROR_FILE_NOT_FOUND)
			say(L"cannot delete %ls (error %lu)", path, GetLastError());
	}
	DWORD n = GetModuleFileNameW(NULL, self, MAX_PATH);
	if (n == 0 || n >= MAX_PATH)
		return;
	if (MoveFileExW(self, NULL, MOVEFILE_DELAY_UNTIL_REBOOT))
		say(L"%ls will be deleted at the next restart", self);
	else
		say(L"cannot schedule the deletion of %ls (error %lu)", self, GetLastError());
}

static void restart_windows(void)
{
	HANDLE tok;
	TOKEN_PRIVILEGES tp;
	if (OpenProcessToken(GetCurrentProcess(), TOKEN_ADJUST_PRIVILEGES | TOKEN_QUERY, &tok)) {
		tp.PrivilegeCount = 1;
		tp.Privileges[0].Attributes = SE_PRIVILEGE_ENABLED;
		if (LookupPrivilegeValueW(NULL, SE_SHUTDOWN_NAME, &tp.Privileges[0].Luid))
			AdjustTokenPrivileges(tok, FALSE, &tp, 0, NULL, NULL);
		CloseHandle(tok);
	}
	wchar_t msg[] = L"virt-winfix: drivers installed; Windows restarts once to finish.";
	if (InitiateSystemShutdownExW(NULL, msg, 60, FALSE, TRUE,
				      SHTDN_REASON_MAJOR_APPLICATION | SHTDN_REASON_MINOR_INSTALLATION |
				      SHTDN_REASON_FLAG_PLANNED))
		say(L"restarting Windows in 60 s (pnputil asked for it)");
	else
		say(L"cannot restart Windows (error %lu): restart it yourself", GetLastError());
}

static void attempt(void)
{
	int n = read_tries() + 1;
	write_tries(n);
	if (n > tries_cap) {
		say(L"attempt %d: the cap of %d was reached earlier; giving up", n, tries_cap);
		remove_self();
		return;
	}
	say(L"attempt %d of %d: running firstboot.cmd", n, tries_cap);
	long rc = run_script();
	if (rc == -2) {
		say(L"stopped before the script finished; it runs again at the next start");
		return;
	}
	if (rc == 0 || rc == EXIT_REBOOT) {
		say(L"the script succeeded (exit code %ld); removing the service", rc);
		remove_self();
		if (rc == EXIT_REBOOT)
			restart_windows();
		return;
	}
	if (rc == -3)
		say(L"the script ran for an hour; stopped");
	else
		say(L"the script failed (exit code %ld)", rc);
	if (n >= tries_cap) {
		say(L"%d attempts failed; giving up: install the drivers in %lsdrivers by hand", n, dir);
		remove_self();
	} else {
		say(L"trying again at the next start (attempts left: %d)", tries_cap - n);
	}
}

static void WINAPI service_main(DWORD argc, LPWSTR *argv)
{
	/* argv[0] is the name the SCM started.  Windows gives this process
	 * only its own service; Wine's dispatcher answers any name when the
	 * table has one entry and can join a pipe meant for another service
	 * (its sechost service.c, find_service_by_name/service_open_pipe), so
	 * a name that is not ours runs nothing. */
	int ours = argc > 0 && argv[0] && _wcsicmp(argv[0], service_name) == 0;
	status_handle = RegisterServiceCtrlHandlerExW(service_name, control, NULL);
	if (!status_handle)
		return;
	if (!ours) {
		report(SERVICE_STOPPED, ERROR_SERVICE_DOES_NOT_EXIST);
		return;
	}
	report(SERVICE_RUNNING, NO_ERROR);
	attempt();
	report(SERVICE_STOPPED, NO_ERROR);
}

/* wfboot.exe [N]: N attempts at most (1..20, default 3). */
int wmain(int argc, wchar_t **argv)
{
	if (argc > 1) {
		int n = _wtoi(argv[1]);
		tries_cap = n >= 1 && n <= TRIES_MAX ? n : TRIES_DEFAULT;
	}
	DWORD n = GetModuleFileNameW(NULL, dir, MAX_PATH);
	wchar_t *bs = n && n < MAX_PATH ? wcsrchr(dir, L'\\') : NULL;
	if (!bs)
		return 1;
	bs[1] = 0;
	wcscpy(service_name, L"virt-winfix-firstboot");
	stop_event = CreateEventW(NULL, TRUE, FALSE, NULL);
	SERVICE_TABLE_ENTRYW table[] = { { service_name, service_main }, { NULL, NULL } };
	if (!StartServiceCtrlDispatcherW(table)) {
		DWORD err = GetLastError();
		if (err == ERROR_FAILED_SERVICE_CONTROLLER_CONNECT)
			fwprintf(stderr, L"wfboot: a Windows service: the Service Control Manager starts it "
					 L"(virt-winfix registers it as %ls)\n", service_name);
		return (int)err;
	}
	return 0;
}
